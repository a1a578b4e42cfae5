import type { Sql } from './database';
import { START, type Checkpoint } from './types';

export async function loadCheckpoint(sql: Sql, name: string): Promise<Checkpoint> {
  const { rows } = await sql.query<{ transaction_id: string; position: number }>(
    'SELECT transaction_id::text AS transaction_id, position FROM checkpoints WHERE name = $1', [name],
  );
  return rows[0] ? { transactionId: rows[0].transaction_id, position: rows[0].position } : START;
}

/**
 * Stores a checkpoint, never moving one back: a relay step that lost its leadership midway
 * (the lock's connection dropped) may finish after the new leader stored a later one.
 */
export async function storeCheckpoint(sql: Sql, name: string, checkpoint: Checkpoint): Promise<void> {
  await sql.query(
    `INSERT INTO checkpoints (name, transaction_id, position) VALUES ($1, $2::xid8, $3)
     ON CONFLICT (name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()
       WHERE (checkpoints.transaction_id, checkpoints.position) < (EXCLUDED.transaction_id, EXCLUDED.position)`,
    [name, checkpoint.transactionId, checkpoint.position],
  );
}
