import type { PoolClient } from 'pg';
import { asAppendError } from './append';
import { literal } from './literal-sql';
import { OUTCOME_COLUMNS, outcomeJson, toStored, type NewOutcome, type OutcomeRow, type StoredOutcome } from './command-outcomes';
import { prepareReadBases, readBasesStatements, toBases, type BaseRow, type StreamBase, type StreamToRead } from './snapshots';

/*
 * A batch's transaction opens and closes with statements sent together in one round trip
 * (the simple query protocol runs several statements per message, but takes no
 * parameters, so values go in as escaped literals). Each round trip is a write and a read
 * on the socket of both processes, ~0.1 ms of CPU on each side on this machine: a batch
 * of commands whose projections only write takes two, it took seven.
 */


export interface BatchInputs {
  /** Outcomes already recorded for the batch's command ids. */
  known: Map<string, StoredOutcome>;
  /** Each stream's snapshot, if its decider keeps them, and its events after it. */
  streams: Map<string, StreamBase>;
}

/** BEGIN, the recorded outcomes of the commands, and the streams they fold. */
export async function beginWithInputs(tx: PoolClient, commandIds: string[], streams: StreamToRead[]): Promise<BatchInputs> {
  await prepareReadBases(tx);
  const results = (await tx.query(
    `BEGIN;
     SELECT ${OUTCOME_COLUMNS} FROM command_outcomes WHERE command_id = ANY(${literal(commandIds)}::text[]);
     ${readBasesStatements(streams)}`,
  )) as unknown as Array<{ rows: unknown[] }>;
  // BEGIN, the outcomes, then readBasesStatements' three results: its rows are the second.
  const [, outcomes, , bases] = results;
  const known = new Map((outcomes!.rows as OutcomeRow[]).map((row) => [row.command_id, toStored(row)]));
  return { known, streams: toBases(bases!.rows as BaseRow[], streams) };
}

/** Runs statements recorded for later (literal SQL) in one round trip, inside the transaction. */
export async function runStatements(tx: PoolClient, statements: string[]): Promise<void> {
  if (statements.length === 0) return;
  await tx.query(statements.join(';\n')).catch((error: unknown) => { throw asAppendError(error); });
}

/**
 * Runs the statements still pending, records the outcomes and commits, in one round
 * trip. A duplicate command id (a concurrent copy of a command) fails the insert on the
 * primary key, a concurrent writer of a stream the events insert (ConcurrencyError); the
 * transaction is then aborted, not committed, and the caller rolls back.
 */
export async function commitWithOutcomes(tx: PoolClient, outcomes: NewOutcome[], pending: string[] = []): Promise<void> {
  const statements = [...pending];
  if (outcomes.length > 0) {
    const values = outcomes.map((o) =>
      `(${literal(o.commandId)}, ${literal(o.subject)}, ${o.reply.ok === true}, ${literal(outcomeJson(o.reply))}::json, ${literal(o.fingerprint)})`);
    statements.push(`INSERT INTO command_outcomes (command_id, subject, ok, outcome, fingerprint) VALUES ${values.join(', ')}`);
  }
  statements.push('COMMIT');
  await runStatements(tx, statements);
}
