import type { Pool, PoolClient } from 'pg';
import { loadCheckpoint } from './checkpoints';
import { rollbackIfOpen } from './database';
import { checkpointOf, READ_BUDGET_BYTES, readLogSized } from './log-reader';
import { projectionCheckpoint, type Projection } from './projection';
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

export interface RepairReport extends RebuildReport {
  repaired: boolean;
  /** How long writers of the live tables were held off (0 when they were equal). */
  lockedMs: number;
}

type Phases = RebuildReport['phases'];
type Reader = (client: PoolClient, after: Checkpoint, limit: number) => Promise<{ events: RecordedEvent[]; bytes: number }>;

/*
 * A rebuild applies the log from (0,0) through a projection into temporary tables of its
 * own session, shaped like the live ones; the projection's unqualified table names resolve
 * to them (search_path). Until its final catch-up (catchUpAndCompare) it reads through
 * the readers' gate with no transaction open, and applies each group of events in a short
 * transaction of its own: a transaction held for a whole rebuild would hold back the
 * gate (pg_snapshot_xmin) of every other reader, the relay included, for as long.
 */

/**
 * Rebuilds a projection from the log beside the live one and compares the two row for
 * row. The live model is not touched, and nothing is left behind.
 *
 * Writers go on meanwhile, so live rows that differ from the rebuild may only be ahead of
 * it. Those are checked again in one repeatable-read snapshot, which sees each command's
 * events and rows together (projections are written in the transaction that appends):
 * the rebuilt rows are caught up with the events it sees past the rebuild's checkpoint,
 * and compared with the live rows it sees. Nothing is locked, and it is rolled back.
 */
export async function rebuildAndCompare(
  pool: Pool, liveSchema: string, projection: Projection, batchSize = 5_000, applyEvery = 100_000,
): Promise<RebuildReport> {
  return withShadow(pool, liveSchema, projection, async (client) => {
    const built = await build(client, liveSchema, projection, batchSize, applyEvery);
    if (built.report.equal) return built.report;
    const started = performance.now();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const checked = await catchUpAndCompare(client, liveSchema, projection, built, batchSize);
    await client.query('ROLLBACK');
    return report(projection, checked.events, started - built.report.millis, checked.phases, checked.differences);
  });
}

/**
 * Rebuilds a projection from (0,0) and, if it differs, replaces its live tables' rows with
 * the rebuilt ones: the repair after an upgrade that changed what the projection computes
 * (`npm run replay -- --repair`), while the services run.
 *
 * The rebuild runs without any lock, to a checkpoint of the gated readers. Only if it
 * differs from the live tables are writers held off, and only for the catch-up: one
 * repeatable-read transaction locks the live tables against writes (readers go on),
 * applies to the rebuilt rows the events its snapshot sees past that checkpoint, and swaps
 * them in. A writer that reaches the tables meanwhile waits, and applies its own events
 * onto the repaired rows after the commit. A projection that follows the log is held off
 * by its own lock (projectBatch) and caught up to its checkpoint.
 */
export async function rebuildLive(
  pool: Pool, liveSchema: string, projection: Projection, batchSize = 5_000,
  /** Runs while the live tables are locked, before the swap: a test's way to meet a writer there. */
  underLock?: () => Promise<void>,
  /**
   * Runs in the swap's transaction, writers held off, even when nothing differs: what must be
   * committed with the rows (the version of the rules they were built with, which writers
   * check once they have their turn: projection-versions.ts).
   */
  withSwap?: (client: PoolClient) => Promise<void>,
): Promise<RepairReport> {
  return withShadow(pool, liveSchema, projection, async (client) => {
    const built = await build(client, liveSchema, projection, batchSize);
    // Rows equal to a rebuild from any prefix of the log are what the rules give:
    // anything committed after it was applied by its writer.
    if (built.report.equal && !withSwap) return { ...built.report, repaired: false, lockedMs: 0 };
    // Taken for the session, before the transaction: a query inside it would fix the
    // snapshot before the wait for the lock, and miss what its holder commits.
    const writersLock = projection.writersLock ?? (projection.followsLog ? projectionCheckpoint(projection) : undefined);
    if (writersLock) await client.query('SELECT pg_advisory_lock(hashtext($1))', [writersLock]);
    try {
      return await catchUpAndSwap(client, liveSchema, projection, built, batchSize, underLock, withSwap);
    } catch (error) {
      // Before the unlock: an aborted transaction refuses every query but this.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (writersLock) await client.query('SELECT pg_advisory_unlock(hashtext($1))', [writersLock]);
    }
  });
}

interface Built {
  report: RebuildReport;
  /** The checkpoint of the last event applied. */
  reached: Checkpoint;
}

async function build(client: PoolClient, liveSchema: string, projection: Projection, batchSize: number, applyEvery = 100_000): Promise<Built> {
  const started = performance.now();
  const phases: Phases = { readMs: 0, applyMs: 0, compareMs: 0 };
  const inOwnTransaction = async (events: RecordedEvent[]) => {
    await client.query('BEGIN; SET LOCAL search_path = pg_temp, public');
    await projection.apply(client, events);
    await client.query('COMMIT');
  };
  const gated: Reader = (c, after, limit) => readLogSized(c, after, limit, true);
  const until = await liveReach(client, projection);
  const applied = await applyLog(client, projection, START, gated, inOwnTransaction, batchSize, applyEvery, phases, until);
  const differences = await compare(client, liveSchema, projection, phases);
  return { report: report(projection, applied.events, started, phases, differences), reached: applied.reached };
}

async function catchUpAndSwap(
  client: PoolClient, liveSchema: string, projection: Projection, built: Built, batchSize: number, underLock?: () => Promise<void>,
  withSwap?: (client: PoolClient) => Promise<void>,
): Promise<RepairReport> {
  const locked = performance.now();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  // Before any query: the snapshot is taken at the first one, after the lock is held. A
  // transaction this snapshot does not see has not written the live tables (the lock
  // would have waited for it), and will apply its own events onto the swapped rows.
  await client.query(`LOCK TABLE ${projection.tables.map((t) => `${liveSchema}.${t}`).join(', ')} IN EXCLUSIVE MODE`);
  await underLock?.();
  const { events, phases, differences } = await catchUpAndCompare(client, liveSchema, projection, built, batchSize);
  const equal = Object.values(differences).every((n) => n === 0);
  if (!equal) {
    for (const table of projection.tables) {
      await client.query(`DELETE FROM ${liveSchema}.${table}; INSERT INTO ${liveSchema}.${table} SELECT * FROM pg_temp.${table}`);
    }
  }
  await withSwap?.(client);
  await client.query('COMMIT');
  const lockedMs = performance.now() - locked;
  return { ...report(projection, events, locked - built.report.millis, phases, differences), repaired: !equal, lockedMs };
}

/**
 * In the open repeatable-read transaction, applies to the rebuilt rows every event its
 * snapshot sees past the rebuild's checkpoint, and compares them with the live rows it
 * sees. Everything at or before the checkpoint was in the rebuild: the gate let no later
 * commit land behind it. A projection that follows the log is caught up only to the
 * checkpoint its live rows are at, as this snapshot sees it.
 */
async function catchUpAndCompare(
  client: PoolClient, liveSchema: string, projection: Projection, built: Built, batchSize: number,
): Promise<{ events: number; phases: Phases; differences: Record<string, number> }> {
  const phases: Phases = { ...built.report.phases };
  await client.query('SET LOCAL search_path = pg_temp, public');
  const until = await liveReach(client, projection);
  const caughtUp = await applyLog(client, projection, built.reached, readWholeSnapshot, (events) => projection.apply(client, events), batchSize, 100_000, phases, until);
  const differences = await compare(client, liveSchema, projection, phases);
  return { events: built.report.events + caughtUp.events, phases, differences };
}

/** Every event this transaction's snapshot sees after `after`, in the gated readers' order (the catch-ups only). */
const readWholeSnapshot: Reader = (client, after, limit) => readLogSized(client, after, limit, false);

/**
 * How far the live rows have seen the log: a projection that follows it is at its
 * checkpoint; one written by the appending transactions is at whatever is committed.
 */
async function liveReach(client: PoolClient, projection: Projection): Promise<Checkpoint | undefined> {
  return projection.followsLog ? loadCheckpoint(client, projectionCheckpoint(projection)) : undefined;
}

/** Whether `a` comes after `b` in the readers' order (transaction id, then position). */
function isAfter(a: Checkpoint, b: Checkpoint): boolean {
  const ax = BigInt(a.transactionId);
  const bx = BigInt(b.transactionId);
  return ax > bx || (ax === bx && a.position > b.position);
}

/** Runs `work` on one client with empty temporary copies of the projection's tables, dropped after. */
async function withShadow<T>(pool: Pool, liveSchema: string, projection: Projection, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const drop = projection.tables.map((t) => `DROP TABLE IF EXISTS pg_temp.${t}`).join('; ');
  let failed = true;
  try {
    await client.query(`${drop}; ${projection.tables.map((t) => `CREATE TEMPORARY TABLE ${t} (LIKE ${liveSchema}.${t} INCLUDING ALL)`).join('; ')}`);
    const result = await work(client);
    failed = false;
    return result;
  } finally {
    // What `work` left open (its temporary tables cannot be dropped in a failed transaction):
    // after a failure whatever the client says of it (rollbackIfOpen), after success only one open.
    if (failed) await client.query('ROLLBACK').catch(() => undefined);
    else await rollbackIfOpen(client);
    const dropped = await client.query(drop).then(() => true, () => false);
    // Its temporary tables must not go back to the pool with it (pg_temp comes first in
    // every search_path): a client that could not drop them is closed instead.
    client.release(!dropped);
  }
}

/** What one group may hold (stored bytes of the reads it gathered) before it is applied. */
const GROUP_BUDGET_BYTES = 4 * READ_BUDGET_BYTES;

/**
 * Applies the log after `from` through the projection, in large groups: a set-based
 * projection folds each group to one write per row, so an aggregate touched a hundred
 * times is written once, not a hundred. A group keeps only the events the projection
 * handles, and is applied early once the reads it gathered hold GROUP_BUDGET_BYTES, so
 * large events are not gathered by the hundred thousand. With `until`, it stops there.
 */
async function applyLog(
  client: PoolClient, projection: Projection, from: Checkpoint, read: Reader, apply: (events: RecordedEvent[]) => Promise<void>,
  batchSize: number, applyEvery: number, phases: Phases, until?: Checkpoint,
): Promise<{ events: number; reached: Checkpoint }> {
  let group: RecordedEvent[] = [];
  let groupBytes = 0;
  const flush = async () => {
    const mine = group;
    group = [];
    groupBytes = 0;
    if (mine.length) await timed(phases, 'applyMs', () => apply(mine));
  };
  let events = 0;
  let reached = from;
  for (;;) {
    const page = await timed(phases, 'readMs', () => read(client, reached, batchSize));
    const past = until ? page.events.findIndex((e) => isAfter(checkpointOf(e), until)) : -1;
    const batch = past === -1 ? page.events : page.events.slice(0, past);
    if (batch.length === 0) break;
    for (const event of batch) if (projection.handles(event.type)) group.push(event);
    groupBytes += page.bytes;
    if (group.length >= applyEvery || groupBytes >= GROUP_BUDGET_BYTES) await flush();
    events += batch.length;
    reached = checkpointOf(batch[batch.length - 1]!);
    if (past !== -1) break;
  }
  await flush();
  return { events, reached };
}

/** Rows that differ between each live table and its rebuilt copy, counted both ways. */
async function compare(client: PoolClient, liveSchema: string, projection: Projection, phases: Phases): Promise<Record<string, number>> {
  const differences: Record<string, number> = {};
  for (const table of projection.tables) {
    const { rows } = await timed(phases, 'compareMs', () => client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ((TABLE ${liveSchema}.${table} EXCEPT ALL TABLE pg_temp.${table})
       UNION ALL (TABLE pg_temp.${table} EXCEPT ALL TABLE ${liveSchema}.${table})) d`,
    ));
    differences[table] = rows[0]!.n;
  }
  return differences;
}

async function timed<T>(phases: Phases, phase: keyof Phases, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try { return await work(); } finally { phases[phase] += performance.now() - started; }
}

function report(projection: Projection, events: number, started: number, phases: Phases, differences: Record<string, number>): RebuildReport {
  return {
    projection: projection.name, events, millis: performance.now() - started, phases, differences,
    equal: Object.values(differences).every((n) => n === 0),
  };
}
