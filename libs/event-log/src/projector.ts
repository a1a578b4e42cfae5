import { setTimeout as pause } from 'node:timers/promises';
import type { Pool } from 'pg';
import { loadCheckpoint, storeCheckpoint } from './checkpoints';
import { inTransaction, type Sql } from './database';
import { checkpointOf, readLog } from './log-reader';
import { projectionCheckpoint, type Projection } from './projection';
import { TailLoop } from './tail-loop';

/**
 * One batch of an asynchronous projection: read after its checkpoint, apply, and store
 * the new checkpoint in the same transaction, so a crash replays the batch or none of it.
 * Batches of one projection take turns (a lock held until the commit): one elected runner
 * normally calls this, but one that lost its election mid-step must not apply a batch the
 * next runner applies too. The checkpoint is read after the lock, so it is the latest.
 * A repair of the projection (rebuildLive) holds the same lock (its `writersLock`).
 */
export async function projectBatch(pool: Pool, projection: Projection, batchSize = 500, turnWaitMs?: number): Promise<number> {
  return inTransaction(pool, async (tx) => {
    // Bounded for a reader: a runner stopped mid-batch (SIGSTOP, a paused VM), or a repair
    // swapping the tables, holds the turn for as long as it lasts.
    if (turnWaitMs !== undefined) await tx.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(turnWaitMs))}`);
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [projectionCheckpoint(projection)]);
    const checkpoint = await loadCheckpoint(tx, projectionCheckpoint(projection));
    const events = await readLog(tx, checkpoint, { limit: batchSize });
    if (events.length === 0) return 0;
    await projection.apply(tx, events.filter((e) => projection.handles(e.type)));
    await storeCheckpoint(tx, projectionCheckpoint(projection), checkpointOf(events[events.length - 1]!));
    return events.length;
  });
}

/**
 * Brings a projection that follows the log up to the events committed now, before a read
 * of it: whoever was answered that a write is done reads its outcome, though the runner
 * would only get to it on its next step. Takes turns with the runner (projectBatch's lock).
 * The gate holds back an event committed before the read while a transaction with an
 * older id is still open (another service's write, a checkpoint): the read then waits for
 * the gate to pass it, looking again after 5, 10, 20... ms, up to `waitMs`. The gate is the
 * whole server's, so a long transaction anywhere on it (another database's, a replay's)
 * holds it: that is not the read's to wait out, so the bound is short. At most `maxBatches`
 * batches: one far behind (after a long stop) is the runner's to bring up, not a read's.
 * The turn is waited for up to `turnWaitMs` (a runner's batch takes milliseconds): one not
 * given by then is held by a runner stopped mid-batch, or by a repair, and the read goes on
 * with what is projected.
 */
export async function catchUp(pool: Pool, projection: Projection, maxBatches = 20, waitMs = 250, turnWaitMs = 2_000): Promise<void> {
  const committedBefore = await nextTransactionId(pool);
  const deadline = Date.now() + waitMs;
  let batches = 0;
  let turnGiven = true;
  const project = async () => {
    try {
      while (batches < maxBatches && (await projectBatch(pool, projection, 500, turnWaitMs)) > 0) batches++;
    } catch (error) {
      if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
      turnGiven = false;
    }
  };
  await project();
  if (!turnGiven) return;
  // Until nothing written before the read is left to project: what the gate held back is
  // looked at again with the cheap check alone, and projected once it passes. Asked of the
  // projection's checkpoint, not of the gate alone: the older transaction may end between
  // the last batch and the check, and the gate then holds back nothing, the write unread.
  for (let pauseMs = 5; batches < maxBatches && (await leftBehind(pool, projection, committedBefore)); pauseMs = Math.min(pauseMs * 2, 50)) {
    if (await heldBack(pool, committedBefore)) {
      if (Date.now() >= deadline) return;
      await pause(Math.min(pauseMs, Math.max(1, deadline - Date.now())));
    } else {
      const before = batches;
      await project();
      if (!turnGiven) return;
      // Nothing projected though the gate passes it (a runner's batch under way): looked at again shortly.
      if (batches === before) {
        if (Date.now() >= deadline) return;
        await pause(Math.min(pauseMs, Math.max(1, deadline - Date.now())));
      }
    }
  }
}

/** What Postgres answers a lock not given within lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';

/** Every transaction committed by now has an id below this. */
async function nextTransactionId(sql: Sql): Promise<string> {
  const { rows } = await sql.query<{ next: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next');
  return rows[0]!.next;
}

/**
 * Whether an event of a transaction older than `before` has committed past the projection's
 * checkpoint. Asked of the first event after the checkpoint in (transaction id, position)
 * order — there is one such older than `before` exactly when that first one is — so the
 * index on that order answers it from one entry. An EXISTS of the two conditions together was
 * planned as a scan of the table (the planner takes a third of any xid8 range to match),
 * which reads the whole log when the projection is caught up, the usual case: every Instabase
 * read and push paid 0.2–1 s at 500,000 events (scale probe).
 */
export async function leftBehind(sql: Sql, projection: Projection, before: string): Promise<boolean> {
  // The checkpoint as values (scalar subqueries), so that they bound the index scan.
  const { rows } = await sql.query<{ behind: boolean }>(
    `SELECT COALESCE((SELECT transaction_id < $2::xid8 FROM events
       WHERE (transaction_id, position) > (COALESCE((SELECT transaction_id FROM checkpoints WHERE name = $1), '0'::xid8),
                                           COALESCE((SELECT position FROM checkpoints WHERE name = $1), 0))
       ORDER BY transaction_id, position LIMIT 1), false) AS behind`,
    [projectionCheckpoint(projection), before],
  );
  return rows[0]!.behind;
}

/** Whether the gate still holds back a committed event of a transaction older than `before`. */
async function heldBack(sql: Sql, before: string): Promise<boolean> {
  const { rows } = await sql.query<{ held: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM events
       WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot()) AND transaction_id < $1::xid8) AS held`, [before],
  );
  return rows[0]!.held;
}

/**
 * Keeps a projection that follows the log (`followsLog`) up to date: one runner across all
 * processes (elected like the relay), stepping while there is work and looking again every
 * `idleMs` when there is none.
 */
export function startProjector(pool: Pool, url: string, projection: Projection, options: { idleMs?: number; onError?: (error: unknown) => void } = {}): TailLoop {
  const loop = new TailLoop({
    url, key: `projector:${projection.name}`, step: () => projectBatch(pool, projection), idleMs: options.idleMs ?? 200, onError: options.onError,
  });
  loop.start();
  return loop;
}
