import { createTestDatabase, eventually } from '@slipway/testing';
import type { Pool, PoolClient } from 'pg';
import { appendToStream } from './append';
import { loadCheckpoint, storeCheckpoint } from './checkpoints';
import { createPool, inTransaction } from './database';
import { migrate } from './migrate';
import { planReads } from './plan-reads.testing';
import { handlesTypes, type Projection } from './projection';
import { catchUp, leftBehind, projectBatch, startProjector } from './projector';
import { rebuildAndCompare, rebuildLive } from './rebuild';

const meta = { commandId: 'c', correlationId: 'c', actor: 'test', schemaVersion: 1, occurredAt: '2026-11-23T00:00:00Z' };

describe('asynchronous projections', () => {
  let url: string;
  let pool: Pool;
  let failOn: string | undefined;
  const counts: Projection = {
    name: 'counts',
    tables: ['counts'],
    handles: handlesTypes(['counted']),
    async apply(tx, events) {
      for (const event of events) {
        if (event.streamId === failOn) throw new Error('projection crashed');
        await tx.query('INSERT INTO counts (stream, n) VALUES ($1, 1) ON CONFLICT (stream) DO UPDATE SET n = counts.n + 1', [event.streamId]);
      }
    },
  };
  const total = async () => (await pool.query('SELECT coalesce(sum(n), 0)::int AS n FROM counts')).rows[0].n;

  beforeAll(async () => {
    url = await createTestDatabase();
    await migrate(url);
    pool = createPool(url);
    await pool.query('CREATE TABLE counts (stream text PRIMARY KEY, n int NOT NULL); CREATE TABLE tally (stream text PRIMARY KEY, n int NOT NULL)');
  });
  afterAll(() => pool.end());

  it('commits its writes and its checkpoint together: a crash mid-batch leaves neither', async () => {
    await inTransaction(pool, async (tx) => {
      await appendToStream(tx, 'a', 0, [{ type: 'counted', data: {} }, { type: 'ignored', data: {} }], meta);
      await appendToStream(tx, 'b', 0, [{ type: 'counted', data: {} }], meta);
    });
    failOn = 'b';
    await expect(projectBatch(pool, counts)).rejects.toThrow('projection crashed');
    expect(await total()).toBe(0);
    expect(await loadCheckpoint(pool, 'projection:counts')).toEqual({ transactionId: '0', position: 0 });

    failOn = undefined;
    expect(await projectBatch(pool, counts)).toBe(3);
    expect(await total()).toBe(2);
    // Nothing new: the next batch is empty and nothing is counted twice.
    expect(await projectBatch(pool, counts)).toBe(0);
    expect(await total()).toBe(2);
  });

  it('applies each batch once when two runners step at the same time (one that lost its election, say)', async () => {
    await inTransaction(pool, (tx) => appendToStream(tx, 'c', 0, Array.from({ length: 5 }, () => ({ type: 'counted', data: {} })), meta));
    const before = await total();
    // The first to apply dawdles, so the others have read the same checkpoint meanwhile
    // (they had to connect first) unless something makes them wait for its commit.
    let dawdled = false;
    const slow: Projection = {
      ...counts,
      async apply(tx, events) {
        if (!dawdled) {
          dawdled = true;
          await new Promise((r) => setTimeout(r, 300));
        }
        await counts.apply(tx, events);
      },
    };
    const steps = await Promise.all([projectBatch(pool, slow), projectBatch(pool, slow), projectBatch(pool, slow)]);
    expect(steps.sort()).toEqual([0, 0, 5]);
    expect(await total()).toBe(before + 5);
  });

  describe('that follow the log', () => {
    const tally: Projection = {
      name: 'tally',
      tables: ['tally'],
      followsLog: true,
      handles: handlesTypes(['tallied']),
      async apply(tx, events) {
        for (const event of events) {
          await tx.query('INSERT INTO tally (stream, n) VALUES ($1, 1) ON CONFLICT (stream) DO UPDATE SET n = tally.n + 1', [event.streamId]);
        }
      },
    };
    const tallied = async () => (await pool.query('SELECT coalesce(sum(n), 0)::int AS n FROM tally')).rows[0].n;
    const append = (stream: string, n: number) => inTransaction(pool, (tx) => appendToStream(tx, stream, 0, Array.from({ length: n }, () => ({ type: 'tallied', data: {} })), meta));

    it('compare their rows with a rebuild to their checkpoint: one behind the log is equal, one with a wrong row is not', async () => {
      await append('t1', 3);
      while (await projectBatch(pool, tally) > 0);
      expect(await tallied()).toBe(3);
      await append('t2', 2); // not projected yet

      expect(await rebuildAndCompare(pool, 'public', tally)).toMatchObject({ equal: true });
      await pool.query("UPDATE tally SET n = n + 10 WHERE stream = 't1'");
      expect(await rebuildAndCompare(pool, 'public', tally)).toMatchObject({ equal: false, differences: { tally: 2 } });
    });

    it('are repaired to the rows of their checkpoint, so their runner goes on without counting anything twice', async () => {
      expect(await rebuildLive(pool, 'public', tally)).toMatchObject({ repaired: true });
      expect(await tallied()).toBe(3);
      while (await projectBatch(pool, tally) > 0);
      expect(await tallied()).toBe(5);
    });

    /**
     * With everything projected, a transaction with an id still open when `stream`'s write
     * commits: the gate holds the write back from every reader until it ends.
     */
    async function behindAnOlderTransaction(stream: string, read: (older: PoolClient, before: number) => Promise<void>): Promise<void> {
      while (await projectBatch(pool, tally) > 0);
      const before = await tallied();
      const older = await pool.connect();
      try {
        await older.query('BEGIN');
        await older.query('SELECT pg_current_xact_id()');
        await append(stream, 1);
        await read(older, before);
      } finally {
        await older.query('ROLLBACK').catch(() => undefined);
        older.release();
      }
    }

    it('bring a read up to a write answered before it, waiting while an older open transaction holds the gate back', async () => {
      await behindAnOlderTransaction('t4', async (older, before) => {
        // Bounded: with the older one still open, a read gives up waiting and is answered.
        await catchUp(pool, tally, 20, 50);
        expect(await tallied()).toBe(before);
        const read = catchUp(pool, tally, 20, 10_000);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await older.query('COMMIT');
        await read;
        expect(await tallied()).toBe(before + 1);
      });
    });

    it('bring a read up to a write answered before it when the older transaction ends between the batch and the look at the gate', async () => {
      await behindAnOlderTransaction('t5', async (older, before) => {
        // The older transaction commits just after the read's first batch (which the gate
        // held back from), before it looks whether anything is held back: the read's own
        // queries are its start (which transactions committed before it) and that look.
        let queries = 0;
        const racing = new Proxy(pool, {
          get(target, property) {
            if (property === 'query') {
              return async (text: string, params?: unknown[]) => {
                if (++queries === 2) await older.query('COMMIT');
                return target.query(text, params);
              };
            }
            const value = Reflect.get(target, property) as unknown;
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
          },
        });
        await catchUp(racing as Pool, tally, 20, 1_000);
        expect(await tallied()).toBe(before + 1);
      });
    });

    it('bring a read as far as they can while a runner stopped mid-batch holds the turn: the read is answered, not held for as long as the runner is stopped', async () => {
      while (await projectBatch(pool, tally) > 0);
      const before = await tallied();
      await append('t6', 1);
      // given a runner stopped inside its batch: its transaction holds the projection's turn
      const stopped = await pool.connect();
      try {
        await stopped.query('BEGIN');
        await stopped.query("SELECT pg_advisory_xact_lock(hashtext('projection:tally'))");
        // when a read catches the projection up, then it is answered while the runner stays stopped (with what is projected)
        await catchUp(pool, tally, 20, 250, 200);
        expect(await tallied()).toBe(before);
      } finally {
        await stopped.query('ROLLBACK');
        stopped.release();
      }
      // and once the turn is free, the next read brings the write in
      await catchUp(pool, tally);
      expect(await tallied()).toBe(before + 1);
    });

    it('are kept up to date by a runner', async () => {
      const before = await tallied();
      const runner = startProjector(pool, url, tally, { idleMs: 20 });
      try {
        await append('t3', 4);
        await eventually(async () => expect(await tallied()).toBe(before + 4));
      } finally {
        await runner.stop();
      }
    });
  });
});

describe('a caught-up projection asked whether anything is left behind', () => {
  let pool: Pool;
  const quiet: Projection = { name: 'quiet', tables: [], handles: handlesTypes(['none']), async apply() {} };
  const nextTransactionId = async () => (await pool.query('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next')).rows[0].next as string;
  const lastEvent = async () => {
    const { rows } = await pool.query('SELECT transaction_id::text AS "transactionId", position::int AS position FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1');
    return rows[0] as { transactionId: string; position: number };
  };

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url);
    pool = createPool(url);
    // given a log of 30,000 events (in 30 transactions) and the projection's checkpoint at its end
    for (let t = 0; t < 30; t++) {
      await inTransaction(pool, (tx) => appendToStream(tx, `s-${t}`, 0, Array.from({ length: 1_000 }, () => ({ type: 'other', data: {} })), meta));
    }
    await storeCheckpoint(pool, 'projection:quiet', await lastEvent());
    await pool.query('ANALYZE events');
  });
  afterAll(() => pool.end());

  it('answers from the index, reading no step of the log: every read of a caught-up projection asks it', async () => {
    const { sql: explaining, most } = planReads(pool, [{ behind: false }]);
    await leftBehind(explaining, quiet, await nextTransactionId());
    expect(most()).toBeLessThan(10);
  });

  it('tells an event committed past the checkpoint by a transaction older than the bound from one of a later transaction', async () => {
    expect(await leftBehind(pool, quiet, await nextTransactionId())).toBe(false);
    const bound = await nextTransactionId();
    await inTransaction(pool, (tx) => appendToStream(tx, 'late', 0, [{ type: 'other', data: {} }], meta));
    // committed by a transaction at or after the bound: not left behind for a read that started before it
    expect(await leftBehind(pool, quiet, bound)).toBe(false);
    // for a read after it, left behind
    expect(await leftBehind(pool, quiet, await nextTransactionId())).toBe(true);
  });
});
