import type { Reply } from '@slipway/contracts';
import type { Sql } from './database';

export interface StoredOutcome {
  subject: string;
  reply: Reply;
  completedAt: string;
}

export async function findOutcome(sql: Sql, commandId: string): Promise<StoredOutcome | undefined> {
  const { rows } = await sql.query<{ subject: string; ok: boolean; outcome: unknown; completed_at: Date }>(
    'SELECT subject, ok, outcome, completed_at FROM command_outcomes WHERE command_id = $1', [commandId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const reply = (row.ok ? { ok: true, value: row.outcome } : { ok: false, error: row.outcome }) as Reply;
  return { subject: row.subject, reply, completedAt: row.completed_at.toISOString() };
}

/**
 * Records a command's outcome in the caller's transaction. A concurrent duplicate of the
 * same command fails here on the primary key and rolls its whole transaction back.
 */
export async function recordOutcome(sql: Sql, commandId: string, subject: string, reply: Reply): Promise<void> {
  await sql.query(
    'INSERT INTO command_outcomes (command_id, subject, ok, outcome) VALUES ($1, $2, $3, $4)',
    [commandId, subject, reply.ok, JSON.stringify(reply.ok ? reply.value ?? null : reply.error)],
  );
}
