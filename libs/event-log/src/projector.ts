import type { Pool } from 'pg';
import { loadCheckpoint, storeCheckpoint } from './checkpoints';
import { inTransaction } from './database';
import { checkpointOf, readLog } from './log-reader';
import type { Projection } from './projection';

/**
 * One batch of an asynchronous projection: read after its checkpoint, apply, and store
 * the new checkpoint in the same transaction, so a crash replays the batch or none of it.
 */
export async function projectBatch(pool: Pool, projection: Projection, batchSize = 500): Promise<number> {
  return inTransaction(pool, async (tx) => {
    const checkpoint = await loadCheckpoint(tx, `projection:${projection.name}`);
    const events = await readLog(tx, checkpoint, { limit: batchSize });
    if (events.length === 0) return 0;
    await projection.apply(tx, events.filter((e) => projection.handles(e.type)));
    await storeCheckpoint(tx, `projection:${projection.name}`, checkpointOf(events[events.length - 1]!));
    return events.length;
  });
}
