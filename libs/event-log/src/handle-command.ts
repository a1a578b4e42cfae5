import { DomainError, type Reply } from '@slipway/contracts';
import type { Pool, PoolClient } from 'pg';
import { appendToStream, ConcurrencyError } from './append';
import { findOutcome, recordOutcome } from './command-outcomes';
import { inTransaction } from './database';
import { fold, type Decider } from './decider';
import type { Projection } from './projection';
import { readStream } from './read-stream';
import type { EventMetadata, NewEvent, RecordedEvent } from './types';

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
}

const MAX_ATTEMPTS = 8;

/**
 * The one generic command path: in a transaction, answer a duplicate from its recorded
 * outcome; otherwise load the stream, decide, append with the expected version, apply
 * inline projections and record the outcome. A concurrent writer makes the append fail;
 * the whole decision is then made again on fresh state, a bounded number of times.
 */
export async function handleCommand<State, Command, Event extends NewEvent, Result>(
  pool: Pool, context: CommandContext, spec: StreamCommand<State, Command, Event, Result>,
): Promise<Reply<Result>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await inTransaction(pool, (tx) => decideOnce(tx, context, spec));
    } catch (error) {
      if (!(error instanceof ConcurrencyError) && !isDuplicateOutcome(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
  return { ok: false, error: new DomainError('conflict', `${spec.streamId} kept changing under concurrent writers; retry the request`).toJSON() };
}

async function decideOnce<State, Command, Event extends NewEvent, Result>(
  tx: PoolClient, context: CommandContext, spec: StreamCommand<State, Command, Event, Result>,
): Promise<Reply<Result>> {
  const prior = await findOutcome(tx, context.commandId);
  if (prior) return prior.reply as Reply<Result>;
  const history = (await readStream(tx, spec.streamId)) as unknown as RecordedEvent<Event['data']>[];
  const state = fold(spec.decider, history as unknown as Event[]);
  let reply: Reply<Result>;
  try {
    const events = spec.decider.decide(await spec.command(tx), state);
    // Everything that can refuse runs before the append, so a refusal writes nothing.
    const value = spec.result(events.reduce(spec.decider.evolve, state), events, state);
    const appended = await appendToStream(tx, spec.streamId, history.length, events, metadataOf(context));
    const recorded = events.map((event, i): RecordedEvent => ({
      ...event, position: appended.positions[i]!, transactionId: '', eventId: '', streamId: spec.streamId,
      streamVersion: history.length + 1 + i, metadata: metadataOf(context),
    }));
    for (const projection of spec.projections ?? []) await projection.apply(tx, recorded.filter((e) => projection.handles(e.type)));
    reply = { ok: true, value };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    reply = { ok: false, error: error.toJSON() };
  }
  await recordOutcome(tx, context.commandId, spec.subject, reply);
  return reply;
}

function metadataOf(context: CommandContext): EventMetadata {
  return {
    commandId: context.commandId, correlationId: context.correlationId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    actor: context.actor, schemaVersion: 1, occurredAt: context.issuedAt,
  };
}

function isDuplicateOutcome(error: unknown): boolean {
  return (error as { code?: string; constraint?: string }).code === '23505'
    && (error as { constraint?: string }).constraint === 'command_outcomes_pkey';
}
