import type { Pool } from 'pg';
import { loadCheckpoint, storeCheckpoint } from './checkpoints';
import { inTransaction } from './database';
import { checkpointOf, readLog } from './log-reader';
import type { Projection } from './projection';

/**
 * One batch of an asynchronous projection: read after its checkpoint, apply, and store
 * the new checkpoint in the same transaction, so a crash replays the batch or none of it.
 * Batches of one projection take turns (a lock held until the commit): one elected runner
 * normally calls this, but one that lost its election mid-step must not apply a batch the
 * next runner applies too. The checkpoint is read after the lock, so it is the latest.
 */
export async function projectBatch(pool: Pool, projection: Projection, batchSize = 500): Promise<number> {
  return inTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection:${projection.name}`]);
    const checkpoint = await loadCheckpoint(tx, `projection:${projection.name}`);
    const events = await readLog(tx, checkpoint, { limit: batchSize });
    if (events.length === 0) return 0;
    await projection.apply(tx, events.filter((e) => projection.handles(e.type)));
    await storeCheckpoint(tx, `projection:${projection.name}`, checkpointOf(events[events.length - 1]!));
    return events.length;
  });
}
