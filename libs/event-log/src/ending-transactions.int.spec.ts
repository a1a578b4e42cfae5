import { createTestDatabase } from '@slipway/testing';
import type { Pool } from 'pg';
import { appendToStream } from './append';
import { createPool, inTransaction, onClient } from './database';
import { migrate } from './migrate';
import { handlesTypes, type Projection } from './projection';
import { bringProjectionsUpToDate } from './projection-versions';
import { rebuildAndCompare, rebuildLive } from './rebuild';

const meta = { commandId: 'c', correlationId: 'c', actor: 'test', schemaVersion: 1, occurredAt: '2026-12-07T00:00:00Z' };

/**
 * A ROLLBACK sent where no transaction is open is answered with a warning, which Postgres
 * writes to its log ("there is no transaction in progress") and sends the client as a notice:
 * a rebuild sent one after every run, which left one in the log at each service's first
 * start (the rebuild that records its projection's version) and one per projection at each
 * `npm run replay`. What was opened is still rolled back, a failed transaction included.
 */
describe('ending only the transactions that are open', () => {
  let url: string;
  let pool: Pool;
  const warnings: string[] = [];
  const counts: Projection = {
    name: 'counts', tables: ['counts'], handles: handlesTypes(['seen']), version: 1, writersLock: 'counts-writers',
    async apply(tx, events) {
      for (const e of events) await tx.query('INSERT INTO counts VALUES ($1, 1) ON CONFLICT (stream) DO UPDATE SET n = counts.n + 1', [e.streamId]);
    },
  };
  const live = async () => (await pool.query<{ stream: string; n: number }>('SELECT stream, n FROM counts ORDER BY stream')).rows;
  const advisoryLocksHeld = async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).rows[0]!.n;

  beforeAll(async () => {
    url = await createTestDatabase();
    await migrate(url);
    const admin = createPool(url);
    await admin.query('CREATE SCHEMA et; CREATE TABLE et.counts (stream text PRIMARY KEY, n int NOT NULL)');
    await admin.end();
    pool = createPool(url, { schema: 'et' });
    // (DROP TABLE IF EXISTS sends notices too: only warnings count)
    pool.on('connect', (client) => client.on('notice', (notice) => { if (notice.severity === 'WARNING') warnings.push(notice.message ?? ''); }));
    await inTransaction(pool, async (tx) => {
      await appendToStream(tx, 'a', 0, [{ type: 'seen', data: {} }, { type: 'seen', data: {} }], meta);
      await tx.query("INSERT INTO counts VALUES ('a', 2)");
    });
  });
  afterAll(() => pool.end());
  beforeEach(async () => {
    await pool.query("UPDATE counts SET n = 2 WHERE stream = 'a'");
    warnings.length = 0;
  });

  it('a service\'s first start, which rebuilds its versioned projection and records the version, warns of nothing', async () => {
    expect(await bringProjectionsUpToDate(pool, 'et', [counts])).toEqual([{ projection: 'counts', from: null, to: 1, repaired: false }]);
    expect(warnings).toEqual([]);
  });

  it('a replay\'s comparison and a repair, equal or not, warn of nothing', async () => {
    expect(await rebuildAndCompare(pool, 'et', counts)).toMatchObject({ equal: true });
    await pool.query("UPDATE counts SET n = 9 WHERE stream = 'a'");
    expect(await rebuildAndCompare(pool, 'et', counts)).toMatchObject({ equal: false });
    expect(await rebuildLive(pool, 'et', counts)).toMatchObject({ repaired: true });
    expect(await rebuildLive(pool, 'et', counts)).toMatchObject({ repaired: false });
    expect(await live()).toEqual([{ stream: 'a', n: 2 }]);
    expect(warnings).toEqual([]);
  });

  it('a repair that fails in its swap rolls the swap back and lets go of the writers\' lock', async () => {
    await pool.query("UPDATE counts SET n = 9 WHERE stream = 'a'");
    const refused = rebuildLive(pool, 'et', counts, undefined, undefined, async () => { throw new Error('refused in the swap'); });
    await expect(refused).rejects.toThrow('refused in the swap');
    expect(await live()).toEqual([{ stream: 'a', n: 9 }]);
    expect(await advisoryLocksHeld()).toBe(0);
  });

  it('a rebuild whose projection fails inside a transaction rolls it back, and its client goes back to the pool clean', async () => {
    const one = createPool(url, { max: 1, schema: 'et' });
    try {
      const backend = async () => (await one.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const before = await backend();
      const failing: Projection = { ...counts, async apply(tx) { await tx.query('SELECT 1/0'); } };
      await expect(rebuildAndCompare(one, 'et', failing)).rejects.toThrow(/division by zero/);
      // Rolled back, its shadow tables could be dropped: the same connection serves the next (one not cleaned is closed).
      expect(await backend()).toBe(before);
      expect(await rebuildAndCompare(one, 'et', counts)).toMatchObject({ equal: true });
    } finally {
      await one.end();
    }
  });

  it('onClient rolls back what the work left open when it throws, a transaction its failed query opened included', async () => {
    await expect(onClient(pool, async (client) => {
      await client.query('BEGIN');
      await client.query("INSERT INTO counts VALUES ('never', 1)");
      throw new Error('in a transaction');
    })).rejects.toThrow('in a transaction');
    expect(await live()).toEqual([{ stream: 'a', n: 2 }]);
    // BEGIN sent with a failing statement in one message (as a batch's reads are): the client
    // learns it is in a transaction only after the error is thrown, now and then
    const one = createPool(url, { max: 1, schema: 'et' });
    try {
      for (let i = 0; i < 200; i++) {
        await expect(onClient(one, (client) => client.query('BEGIN; SELECT 1/0'))).rejects.toThrow(/division by zero/);
        // the one client goes back clean each time
        expect((await one.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
      }
    } finally {
      await one.end();
    }
  });
});
