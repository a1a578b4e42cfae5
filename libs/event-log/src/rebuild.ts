import type { Pool, PoolClient } from 'pg';
import { inTransaction, onClient } from './database';
import { checkpointOf, readLog } from './log-reader';
import type { Projection } from './projection';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import { START, type Checkpoint, type RecordedEvent } from './types';

export interface RebuildReport {
  projection: string;
  events: number;
  millis: number;
  /** Where the time went: reading the log, applying the projection, comparing. */
  phases: { readMs: number; applyMs: number; compareMs: number };
  /** Rows that differ between the live tables and the rebuilt ones, per table. */
  differences: Record<string, number>;
  equal: boolean;
}

type Reader = (tx: PoolClient, after: Checkpoint, limit: number) => Promise<RecordedEvent[]>;

/**
 * Replays the whole log from (0,0) through a projection into a shadow schema holding
 * empty copies of its tables, then compares them with the live tables row for row.
 * The live model is not touched. Everything happens in one transaction that is rolled
 * back, so a replay leaves nothing behind.
 */
export async function rebuildAndCompare(
  pool: Pool, liveSchema: string, projection: Projection, batchSize = 5_000, applyEvery = 100_000,
): Promise<RebuildReport> {
  return inTransaction(pool, async (tx) => {
    const report = await rebuildBeside(tx, 'replay', liveSchema, projection, (t, after, limit) => readLog(t, after, { limit }), batchSize, applyEvery);
    await tx.query('ROLLBACK');
    await tx.query('BEGIN');
    return report;
  });
}

/**
 * Rebuilds a projection from (0,0) and, if it differs, replaces its live tables' rows with
 * the rebuilt ones: the repair after an upgrade that changed what the projection computes
 * (`npm run replay -- --repair`). One repeatable-read transaction that first locks the
 * live tables against writes (readers go on): a command that would write them waits, and
 * applies its events onto the repaired rows after the commit. So the log is read whole,
 * as this transaction's snapshot sees it, without the readers' gate: a transaction still
 * running then has not written these tables (else the lock would have waited for it) and
 * will apply its own events itself.
 */
export async function rebuildLive(pool: Pool, liveSchema: string, projection: Projection, batchSize = 5_000): Promise<RebuildReport & { repaired: boolean }> {
  // Most projections are equal to their rebuild (each one at every start with no version
  // recorded, most in a `--repair` of all): find that out without holding writers off. Only
  // a difference costs the locked rebuild. Rows equal to a rebuild from any snapshot of the
  // log are what the rules give; anything committed after it was applied by its writer.
  const check = await rebuildAndCompare(pool, liveSchema, projection, batchSize);
  if (check.equal) return { ...check, repaired: false };
  return onClient(pool, async (tx) => {
    // Taken for the session, before the transaction: a query inside it would fix the
    // snapshot before the wait for the lock, and miss what its holder commits.
    if (projection.writersLock) await tx.query('SELECT pg_advisory_lock(hashtext($1))', [projection.writersLock]);
    try {
      return await repairIn(tx, liveSchema, projection, batchSize);
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (projection.writersLock) await tx.query('SELECT pg_advisory_unlock(hashtext($1))', [projection.writersLock]);
    }
  });
}

async function repairIn(tx: PoolClient, liveSchema: string, projection: Projection, batchSize: number): Promise<RebuildReport & { repaired: boolean }> {
  await tx.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  // Before any query: the snapshot is taken at the first one, after the lock is held.
  await tx.query(`LOCK TABLE ${projection.tables.map((t) => `${liveSchema}.${t}`).join(', ')} IN EXCLUSIVE MODE`);
  const report = await rebuildBeside(tx, 'repair', liveSchema, projection, readWholeSnapshot, batchSize);
  if (!report.equal) {
    for (const table of projection.tables) {
      await tx.query(`DELETE FROM ${liveSchema}.${table}; INSERT INTO ${liveSchema}.${table} SELECT * FROM ${shadowOf('repair', projection)}.${table}`);
    }
  }
  await tx.query(`DROP SCHEMA ${shadowOf('repair', projection)} CASCADE`);
  await tx.query('COMMIT');
  return { ...report, repaired: !report.equal };
}

/** Every event this transaction's snapshot sees after `after`, in the gated readers' order (for rebuildLive only). */
async function readWholeSnapshot(tx: PoolClient, after: Checkpoint, limit: number): Promise<RecordedEvent[]> {
  const { rows } = await tx.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint) ORDER BY transaction_id, position LIMIT $3`,
    [after.transactionId, after.position, limit],
  );
  return rows.map(toRecordedEvent);
}

const shadowOf = (purpose: string, projection: Projection): string => `${purpose}_${projection.name.replace(/[^a-z0-9_]/gi, '_')}`.toLowerCase();

/** Builds the projection from (0,0) into a shadow schema beside the live one, and compares the two. */
async function rebuildBeside(
  tx: PoolClient, purpose: string, liveSchema: string, projection: Projection, read: Reader, batchSize: number, applyEvery = 100_000,
): Promise<RebuildReport> {
  const shadow = shadowOf(purpose, projection);
  const started = performance.now();
  let events = 0;
  const phases = { readMs: 0, applyMs: 0, compareMs: 0 };
  const timed = async <T>(phase: keyof typeof phases, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try { return await work(); } finally { phases[phase] += performance.now() - t; }
  };
  const differences: Record<string, number> = {};
  await tx.query(`DROP SCHEMA IF EXISTS ${shadow} CASCADE; CREATE SCHEMA ${shadow}`);
  for (const table of projection.tables) {
    await tx.query(`CREATE TABLE ${shadow}.${table} (LIKE ${liveSchema}.${table} INCLUDING ALL)`);
  }
  await tx.query(`SET LOCAL search_path = ${shadow}, public`);
  // Events are applied in large groups: a set-based projection folds each group to one
  // write per row, so an aggregate touched a hundred times is written once, not a hundred.
  let group: RecordedEvent[] = [];
  const flush = async () => {
    const mine = group.filter((e) => projection.handles(e.type));
    group = [];
    if (mine.length) await timed('applyMs', () => projection.apply(tx, mine));
  };
  for (let after = START; ;) {
    const batch = await timed('readMs', () => read(tx, after, batchSize));
    if (batch.length === 0) break;
    group.push(...batch);
    if (group.length >= applyEvery) await flush();
    events += batch.length;
    after = checkpointOf(batch[batch.length - 1]!);
  }
  await flush();
  for (const table of projection.tables) {
    const { rows } = await timed('compareMs', () => tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ((TABLE ${liveSchema}.${table} EXCEPT ALL TABLE ${shadow}.${table})
       UNION ALL (TABLE ${shadow}.${table} EXCEPT ALL TABLE ${liveSchema}.${table})) d`,
    ));
    differences[table] = rows[0]!.n;
  }
  return {
    projection: projection.name, events, millis: performance.now() - started, phases, differences,
    equal: Object.values(differences).every((n) => n === 0),
  };
}
