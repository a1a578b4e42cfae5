import { poolOnNewLog } from '@slipway/testing/new-log';
import { findOutcome, noteDeadLettered, readCommandStatus } from './command-outcomes';
import { createPool } from './database';
import { planReads } from './plan-reads.testing';
import { pruneOutcomes, startOutcomePruning } from './prune-outcomes';

const WEEK = 168;

describe('pruning command outcomes past their retention', () => {
  const log = poolOnNewLog();

  /** Outcomes recorded `hoursAgo`, ids `${prefix}-0`…, the later the index the more recent. */
  const recorded = (prefix: string, count: number, hoursAgo: number) => log.pool.query(
    `INSERT INTO command_outcomes (command_id, subject, ok, outcome, completed_at)
     SELECT $1 || '-' || i, 'cmd.test.v1', true, '{}', now() - make_interval(hours => $2) + i * interval '1 ms' FROM generate_series(0, $3 - 1) i`,
    [prefix, hoursAgo, count],
  );
  const left = async (prefix: string) => (await log.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM command_outcomes WHERE command_id LIKE $1', [`${prefix}-%`])).rows[0]!.n;

  it('removes those recorded before the retention, oldest first, and keeps the newer ones and dead-lettered successes', async () => {
    // given outcomes of 200 and 100 hours ago, and an old success moved to the dead-letter stream
    await recorded('old', 3, 200);
    await recorded('new', 2, 100);
    await recorded('dead', 1, 200);
    await noteDeadLettered(log.pool, 'dead-0');

    // when at most two are pruned, then the rest, at a week's retention
    expect(await pruneOutcomes(log.pool, WEEK, 2)).toBe(2);
    expect(await findOutcome(log.pool, 'old-2')).toBeDefined();
    expect(await pruneOutcomes(log.pool, WEEK)).toBe(1);

    // then only the old ones are gone: a pruned command has no outcome (its status reads as never handled)
    expect(await left('old')).toBe(0);
    expect(await left('new')).toBe(2);
    expect(await findOutcome(log.pool, 'dead-0')).toBeDefined();
    expect(await readCommandStatus(log.pool, 'old-0')).toEqual({ commandId: 'old-0', status: 'pending' });
    expect(await pruneOutcomes(log.pool, WEEK)).toBe(0);
  });

  it('reads only the outcomes it removes, not the table (its index is on the time of recording)', async () => {
    await recorded('recent', 20_000, 1);
    await recorded('stale', 10, 300);
    await log.pool.query('ANALYZE command_outcomes');
    const plan = planReads(log.pool);
    await pruneOutcomes(plan.sql, WEEK);
    expect(await left('stale')).toBe(0);
    expect(plan.most()).toBeLessThan(100);
  });

  it('sweeps a backlog larger than a batch at start, and again on its timer', async () => {
    await recorded('backlog', 12_000, 400);
    const errors: unknown[] = [];
    const pruning = startOutcomePruning(log.pool, WEEK, (error) => errors.push(error), 200);
    try {
      // the first sweep, begun at start, is the one the next waits for
      expect(await pruning.sweep()).toBe(0);
      expect(await left('backlog')).toBe(0);
      await recorded('later', 1, 400);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await left('later')).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await pruning.stop();
    }
  });

  it('reports a sweep that fails and goes on', async () => {
    const closed = createPool(log.url);
    await closed.end();
    const errors: unknown[] = [];
    const pruning = startOutcomePruning(closed, WEEK, (error) => errors.push(error), 60_000);
    expect(await pruning.sweep()).toBe(0);
    await pruning.stop();
    expect(errors).toHaveLength(2);
    expect(String(errors[0])).toMatch(/pool/i);
  });
});
