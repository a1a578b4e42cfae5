import type { Pool } from 'pg';
import { inTransaction } from './database';
import { checkpointOf, readLog } from './log-reader';
import type { Projection } from './projection';
import { START, type RecordedEvent } from './types';

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

/**
 * Replays the whole log from (0,0) through a projection into a shadow schema holding
 * empty copies of its tables, then compares them with the live tables row for row.
 * The live model is not touched. Everything happens in one transaction that is rolled
 * back, so a replay leaves nothing behind.
 */
export async function rebuildAndCompare(
  pool: Pool, liveSchema: string, projection: Projection, batchSize = 5_000, applyEvery = 100_000,
): Promise<RebuildReport> {
  const shadow = `replay_${projection.name.replace(/[^a-z0-9_]/gi, '_')}`.toLowerCase();
  const started = performance.now();
  let events = 0;
  const phases = { readMs: 0, applyMs: 0, compareMs: 0 };
  const timed = async <T>(phase: keyof typeof phases, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try { return await work(); } finally { phases[phase] += performance.now() - t; }
  };
  const differences: Record<string, number> = {};
  await inTransaction(pool, async (tx) => {
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
      const batch = await timed('readMs', () => readLog(tx, after, { limit: batchSize }));
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
    await tx.query('ROLLBACK');
    await tx.query('BEGIN');
  });
  return {
    projection: projection.name, events, millis: performance.now() - started, phases, differences,
    equal: Object.values(differences).every((n) => n === 0),
  };
}
