import { DomainError, type Reply } from '@slipway/contracts';
import type { Pool, PoolClient } from 'pg';
import { insertEvents, type PendingEvent } from './append';
import { beginWithInputs, commitWithOutcomes, type BatchInputs } from './batch-statements';
import type { NewOutcome } from './command-outcomes';
import { onClient } from './database';
import type { Decider } from './decider';
import type { Projection } from './projection';
import type { EventMetadata, NewEvent } from './types';

export interface CommandContext {
  commandId: string;
  correlationId: string;
  causationId?: string;
  actor: string;
  /** ISO-8601 time the command was issued; the decider's only clock. */
  issuedAt: string;
}

export interface StreamCommand<State, Command, Event extends NewEvent, Result> {
  subject: string;
  streamId: string;
  decider: Decider<State, Command, Event>;
  /** Builds the command inside the transaction, so it can read what the decision needs. */
  command: (tx: PoolClient) => Promise<Command> | Command;
  /** The reply value, from the state after the new events (and the one before them). */
  result: (after: State, events: Event[], before: State) => Result;
  /** Inline projections, applied to the new events in the same transaction. */
  projections?: Projection[];
  /**
   * `command` reads tables that inline projections write: in a batch, the events decided
   * before it are written and projected first, so it sees them as if it ran alone.
   */
  readsProjections?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStreamCommand = StreamCommand<any, any, NewEvent, unknown>;
export interface BatchItem { context: CommandContext; spec: AnyStreamCommand }

function metadataOf(context: CommandContext): EventMetadata {
  return {
    commandId: context.commandId, correlationId: context.correlationId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    actor: context.actor, schemaVersion: 1, occurredAt: context.issuedAt,
  };
}

/**
 * Decides a batch of commands in one transaction, in order: a command already handled
 * answers from its recorded outcome; the others fold their stream (including events
 * decided earlier in the same batch), decide, and refuse or append. All events go in
 * one insert, each projection runs once over them, all outcomes in one insert: the
 * database sees four round trips per batch (batch-statements.ts), not a few per command.
 * The transaction is committed when this returns; on a throw it is rolled back.
 */
export function decideBatch(pool: Pool, items: BatchItem[]): Promise<Reply[]> {
  return onClient(pool, async (tx) => {
    const inputs = await beginWithInputs(tx, items.map((i) => i.context.commandId), [...new Set(items.map((i) => i.spec.streamId))]);
    const { replies, outcomes } = await decideIn(tx, items, inputs);
    await commitWithOutcomes(tx, outcomes);
    return replies;
  });
}

async function decideIn(tx: PoolClient, items: BatchItem[], { known, streams }: BatchInputs): Promise<{ replies: Reply[]; outcomes: NewOutcome[] }> {
  const replies: Reply[] = [];
  const decided = new Map<string, Reply>();
  let pending: Array<PendingEvent & { projections: Projection[] }> = [];
  const outcomes: NewOutcome[] = [];
  /** Writes and projects the events decided so far. */
  const flush = async () => {
    const positions = await insertEvents(tx, pending);
    await applyProjections(tx, pending.map((e, i) => ({ ...e, position: positions[i]! })));
    pending = [];
  };
  for (const { context, spec } of items) {
    const prior = known.get(context.commandId)?.reply ?? decided.get(context.commandId);
    if (prior) { replies.push(prior); continue; }
    const history = streams.get(spec.streamId)!;
    const state = history.reduce((s, e) => spec.decider.evolve(s, e), spec.decider.initialState());
    // Outside the command's try: a failure writing earlier commands' events is the batch's, not this command's.
    if (spec.readsProjections && pending.length) await flush();
    let reply: Reply;
    try {
      const events = spec.decider.decide(await spec.command(tx), state);
      // Everything that can refuse runs before anything is queued for writing.
      const value = spec.result(events.reduce(spec.decider.evolve, state), events, state);
      const metadata = metadataOf(context);
      const version = history.length;
      events.forEach((event, i) => {
        const streamVersion = version + 1 + i;
        pending.push({ ...event, streamId: spec.streamId, streamVersion, metadata, projections: spec.projections ?? [] });
        history.push({ ...event, streamId: spec.streamId, streamVersion, metadata, position: 0, transactionId: '', eventId: '' });
      });
      reply = { ok: true, value };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      reply = { ok: false, error: error.toJSON() };
    }
    decided.set(context.commandId, reply);
    outcomes.push({ commandId: context.commandId, subject: spec.subject, reply });
    replies.push(reply);
  }
  if (pending.length) await flush();
  return { replies, outcomes };
}

async function applyProjections(tx: PoolClient, events: Array<PendingEvent & { projections: Projection[]; position: number }>): Promise<void> {
  const projections = [...new Set(events.flatMap((e) => e.projections))];
  for (const projection of projections) {
    const mine = events.filter((e) => e.projections.includes(projection) && projection.handles(e.type));
    if (mine.length) await projection.apply(tx, mine.map(({ projections: _p, ...e }) => ({ ...e, transactionId: '', eventId: '' })));
  }
}
