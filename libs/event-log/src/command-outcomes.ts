import type { CommandStatus, RefusalRecordRef, Reply } from '@slipway/contracts';
import type { Sql } from './database';

export interface StoredOutcome {
  subject: string;
  reply: Reply;
  completedAt: string;
  /** The command's fingerprint (commandFingerprint); none for outcomes recorded before they were kept. */
  fingerprint?: string;
}

export interface OutcomeRow { command_id: string; subject: string; ok: boolean; outcome: unknown; completed_at: Date; fingerprint: string | null }

/** The columns an OutcomeRow is read from. */
export const OUTCOME_COLUMNS = 'command_id, subject, ok, outcome, completed_at, fingerprint';

export const toStored = (row: OutcomeRow): StoredOutcome => ({
  subject: row.subject,
  reply: (row.ok ? { ok: true, value: row.outcome } : { ok: false, error: row.outcome }) as Reply,
  completedAt: row.completed_at.toISOString(),
  ...(row.fingerprint ? { fingerprint: row.fingerprint } : {}),
});

export async function findOutcomes(sql: Sql, commandIds: string[]): Promise<Map<string, StoredOutcome>> {
  const { rows } = await sql.query<OutcomeRow>(
    `SELECT ${OUTCOME_COLUMNS} FROM command_outcomes WHERE command_id = ANY($1::text[])`, [commandIds],
  );
  return new Map(rows.map((row) => [row.command_id, toStored(row)]));
}

export async function findOutcome(sql: Sql, commandId: string): Promise<StoredOutcome | undefined> {
  return (await findOutcomes(sql, [commandId])).get(commandId);
}

export interface NewOutcome {
  commandId: string;
  subject: string;
  reply: Reply;
  fingerprint?: string;
}

/** What the outcome column holds: the value of a success, the error of a refusal. */
export const outcomeJson = (reply: Reply): string => JSON.stringify(reply.ok ? reply.value ?? null : reply.error);

/**
 * Records an outcome unless one is recorded already: for refusals decided outside the
 * command log (validation before handleCommand, dead-lettering), which may also have been
 * recorded by a delivery that got further. Returns the outcome recorded before, if any.
 */
export async function recordOutcomeOnce(sql: Sql, outcome: NewOutcome): Promise<StoredOutcome | undefined> {
  const { rowCount } = await sql.query(
    `INSERT INTO command_outcomes (command_id, subject, ok, outcome, fingerprint) VALUES ($1, $2, $3, $4::json, $5)
     ON CONFLICT (command_id) DO NOTHING`,
    [outcome.commandId, outcome.subject, outcome.reply.ok, outcomeJson(outcome.reply), outcome.fingerprint ?? null],
  );
  // Not inserted: another outcome is recorded, perhaps by a transaction that committed while
  // this statement waited for it, which only a statement after this one sees.
  return rowCount === 0 ? findOutcome(sql, outcome.commandId) : undefined;
}

/** A command's last refusal that asked to retry shortly (the reply's error), while it has no outcome. */
export interface RetryableRefusal {
  error: unknown;
  refusedAt: string;
  /** Where the refused message's record says whether the refusal reached a client (the bus's answered-refusals.ts). */
  record?: RefusalRecordRef;
}

/**
 * Records a refusal that is not the command's outcome ("unavailable, retry shortly"): the
 * command is gone from the queue, so a resend JetStream drops as a duplicate must be
 * published again (CommandBus does, once per refusal, keyed by its time, once it has settled
 * the refused message's `record`). Rows older than JetStream's dedupe window could never be
 * used and are removed as new ones come.
 */
export async function recordRetryable(sql: Sql, refusal: NewOutcome & { record?: RefusalRecordRef }): Promise<void> {
  // The record's `at` is the row's time: a row a service of the version before updates (it
  // leaves this column be) is read without the record of an earlier message.
  await sql.query(
    `WITH pruned AS (DELETE FROM command_retries WHERE refused_at < now() - interval '1 hour')
     INSERT INTO command_retries (command_id, subject, refusal, refused_at, refusal_record)
     SELECT $1, $2, $3::jsonb, at, CASE WHEN $4::jsonb IS NULL THEN NULL ELSE $4::jsonb || jsonb_build_object('at', at) END FROM (SELECT clock_timestamp() AS at) now
     ON CONFLICT (command_id) DO UPDATE SET subject = excluded.subject, refusal = excluded.refusal, refused_at = excluded.refused_at, refusal_record = excluded.refusal_record`,
    [refusal.commandId, refusal.subject, JSON.stringify(refusal.reply.ok ? null : refusal.reply.error), refusal.record ? JSON.stringify(refusal.record) : null],
  );
}

export async function findRetryable(sql: Sql, commandId: string): Promise<RetryableRefusal | undefined> {
  const { rows } = await sql.query<{ refusal: unknown; refused_at: Date; record: RefusalRecordRef | null }>(
    `SELECT refusal, refused_at, CASE WHEN (refusal_record->>'at')::timestamptz = refused_at THEN refusal_record - 'at' END AS record
     FROM command_retries WHERE command_id = $1`,
    [commandId],
  );
  const row = rows[0];
  return row && { error: row.refusal, refusedAt: row.refused_at.toISOString(), ...(row.record ? { record: row.record } : {}) };
}

/** What GetCommandStatus answers: the outcome once there is one; else pending, with the last "retry shortly". */
export async function readCommandStatus(sql: Sql, commandId: string): Promise<CommandStatus> {
  const outcome = await findOutcome(sql, commandId);
  if (outcome) {
    const { subject, reply, completedAt, fingerprint } = outcome;
    const deadLettered = reply.ok ? await deadLetteredAt(sql, commandId) : undefined;
    return {
      commandId, status: reply.ok ? 'succeeded' : 'failed', subject, outcome: reply, completedAt, ...(fingerprint ? { fingerprint } : {}),
      ...(deadLettered ? { deadLettered: { at: deadLettered, message: DEAD_LETTERED_MESSAGE } } : {}),
    };
  }
  const lastRefusal = await findRetryable(sql, commandId);
  return lastRefusal ? { commandId, status: 'pending', lastRefusal } : { commandId, status: 'pending' };
}

const DEAD_LETTERED_MESSAGE = 'recorded, but carrying it out then kept failing: the command is in the dead-letter stream (/api/v1/dead-letters), for an operator to redrive, which finishes it';

async function deadLetteredAt(sql: Sql, commandId: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ at: Date | null }>('SELECT dead_lettered_at AS at FROM command_outcomes WHERE command_id = $1', [commandId]);
  return rows[0]?.at?.toISOString();
}

/**
 * Notes that a command whose success is recorded was moved to the dead-letter stream: what it
 * recorded as its intent was not carried out. Only on a success: a refusal is the outcome.
 */
export async function noteDeadLettered(sql: Sql, commandId: string): Promise<void> {
  await sql.query('UPDATE command_outcomes SET dead_lettered_at = clock_timestamp() WHERE command_id = $1 AND ok', [commandId]);
}

/**
 * The refusal of a command moved to the dead-letter stream, recorded as its outcome unless it
 * has one; one whose success is recorded (an intent not carried out) is noted dead-lettered
 * instead. Returns the outcome recorded before, if any: that is its answer.
 */
export async function recordDeadLettered(sql: Sql, refusal: NewOutcome): Promise<StoredOutcome | undefined> {
  const before = await recordOutcomeOnce(sql, refusal);
  if (before?.reply.ok) await noteDeadLettered(sql, refusal.commandId);
  return before;
}

/** Withdraws that note: the command is sent again (redriven), to finish what it recorded. */
export async function clearDeadLettered(sql: Sql, commandId: string): Promise<void> {
  await sql.query('UPDATE command_outcomes SET dead_lettered_at = NULL WHERE command_id = $1 AND dead_lettered_at IS NOT NULL', [commandId]);
}
