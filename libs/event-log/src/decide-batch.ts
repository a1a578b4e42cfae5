import { DomainError, type Reply } from '@slipway/contracts';
import type { Pool, PoolClient } from 'pg';
import { insertEventsStatement, type PendingEvent } from './append';
import { beginWithInputs, commitWithOutcomes, reservePositions, runStatements, type BatchInputs } from './batch-statements';
import { recordingClient } from './literal-sql';
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
 * decided earlier in the same batch), decide, and refuse or append. The database sees
 * two round trips per batch (batch-statements.ts): BEGIN with the reads, then the events,
 * the projections that only write and the outcomes with COMMIT. A projection that reads
 * (or a command that reads projections) first sends what is pending and runs live.
 * The transaction is committed when this returns; on a throw it is rolled back.
 */
export function decideBatch(pool: Pool, items: BatchItem[]): Promise<Reply[]> {
  return onClient(pool, async (tx) => {
    const inputs = await beginWithInputs(tx, items.map((i) => i.context.commandId), [...new Set(items.map((i) => i.spec.streamId))]);
    const writes = new BatchWrites(tx, inputs.positions);
    const replies = await decideIn(writes, items, inputs);
    await commitWithOutcomes(tx, writes.outcomes, writes.statements);
    return replies;
  });
}

type Projected = PendingEvent & { projections: Projection[]; position: number };

/** What a batch has decided and not yet sent: events, their projections' statements, outcomes. */
class BatchWrites {
  /** Literal statements to send with the next round trip. */
  readonly statements: string[] = [];
  readonly outcomes: NewOutcome[] = [];
  private events: Projected[] = [];

  constructor(readonly tx: PoolClient, private readonly positions: number[]) {}

  async queue(events: Array<PendingEvent & { projections: Projection[] }>): Promise<void> {
    if (events.length > this.positions.length) this.positions.push(...(await reservePositions(this.tx, events.length - this.positions.length + 8)));
    for (const event of events) this.events.push({ ...event, position: this.positions.shift()! });
  }

  /** Turns the queued events into statements; a projection that reads runs now, after what is pending. */
  async project(): Promise<void> {
    const events = this.events;
    if (events.length === 0) return;
    this.events = [];
    this.statements.push(insertEventsStatement(events));
    for (const projection of new Set(events.flatMap((e) => e.projections))) {
      const mine = events.filter((e) => e.projections.includes(projection) && projection.handles(e.type))
        .map(({ projections: _p, ...e }) => ({ ...e, transactionId: '', eventId: '' }));
      if (mine.length === 0) continue;
      if (projection.writesOnly) {
        await projection.apply(recordingClient(this.statements), mine);
      } else {
        await this.send();
        await projection.apply(this.tx, mine);
      }
    }
  }

  /** Writes and projects everything decided so far, for a command that reads projections. */
  async flush(): Promise<void> {
    await this.project();
    await this.send();
  }

  private async send(): Promise<void> {
    await runStatements(this.tx, this.statements.splice(0));
  }
}

async function decideIn(writes: BatchWrites, items: BatchItem[], { known, streams }: BatchInputs): Promise<Reply[]> {
  const replies: Reply[] = [];
  const decided = new Map<string, Reply>();
  let unsent = false;
  for (const { context, spec } of items) {
    const prior = known.get(context.commandId)?.reply ?? decided.get(context.commandId);
    if (prior) { replies.push(prior); continue; }
    const history = streams.get(spec.streamId)!;
    const state = history.reduce((s, e) => spec.decider.evolve(s, e), spec.decider.initialState());
    // Outside the command's try: a failure writing earlier commands' events is the batch's, not this command's.
    if (spec.readsProjections && unsent) {
      await writes.flush();
      unsent = false;
    }
    let reply: Reply;
    try {
      const events = spec.decider.decide(await spec.command(writes.tx), state);
      // Everything that can refuse runs before anything is queued for writing.
      const value = spec.result(events.reduce(spec.decider.evolve, state), events, state);
      const metadata = metadataOf(context);
      const version = history.length;
      const pending = events.map((event, i) => ({ ...event, streamId: spec.streamId, streamVersion: version + 1 + i, metadata, projections: spec.projections ?? [] }));
      await writes.queue(pending);
      unsent ||= pending.length > 0;
      for (const event of pending) history.push({ ...event, position: 0, transactionId: '', eventId: '' });
      reply = { ok: true, value };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      reply = { ok: false, error: error.toJSON() };
    }
    decided.set(context.commandId, reply);
    writes.outcomes.push({ commandId: context.commandId, subject: spec.subject, reply });
    replies.push(reply);
  }
  await writes.project();
  return replies;
}
