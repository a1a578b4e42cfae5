import type { Reply } from '@slipway/contracts';
import type { Sql } from './database';

export interface StoredOutcome {
  subject: string;
  reply: Reply;
  completedAt: string;
}

export interface OutcomeRow { command_id: string; subject: string; ok: boolean; outcome: unknown; completed_at: Date }

export const toStored = (row: OutcomeRow): StoredOutcome => ({
  subject: row.subject,
  reply: (row.ok ? { ok: true, value: row.outcome } : { ok: false, error: row.outcome }) as Reply,
  completedAt: row.completed_at.toISOString(),
});

export async function findOutcomes(sql: Sql, commandIds: string[]): Promise<Map<string, StoredOutcome>> {
  const { rows } = await sql.query<OutcomeRow>(
    'SELECT command_id, subject, ok, outcome, completed_at FROM command_outcomes WHERE command_id = ANY($1::text[])', [commandIds],
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
}

/**
 * Records outcomes in the caller's transaction, with the events they caused. A
 * concurrent duplicate of a command fails here on the primary key and rolls back.
 */
export async function recordOutcomes(sql: Sql, outcomes: NewOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await sql.query(
    `INSERT INTO command_outcomes (command_id, subject, ok, outcome)
     SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::jsonb[])`,
    [outcomes.map((o) => o.commandId), outcomes.map((o) => o.subject), outcomes.map((o) => o.reply.ok),
      outcomes.map((o) => JSON.stringify(o.reply.ok ? o.reply.value ?? null : o.reply.error))],
  );
}

/**
 * Records an outcome unless one is recorded already: for refusals decided outside the
 * command log (validation before handleCommand, dead-lettering), which may also have been
 * recorded by a delivery that got further.
 */
export async function recordOutcomeOnce(sql: Sql, outcome: NewOutcome): Promise<void> {
  await sql.query(
    `INSERT INTO command_outcomes (command_id, subject, ok, outcome) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (command_id) DO NOTHING`,
    [outcome.commandId, outcome.subject, outcome.reply.ok, JSON.stringify(outcome.reply.ok ? outcome.reply.value ?? null : outcome.reply.error)],
  );
}
