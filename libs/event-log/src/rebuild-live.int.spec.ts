import { createTestDatabase, untilBlockedBy } from '@slipway/testing';
import type { Pool } from 'pg';
import { appendToStream } from './append';
import { createPool, inTransaction } from './database';
import { readLog } from './log-reader';
import { migrate } from './migrate';
import { handlesTypes, type Projection } from './projection';
import { rebuildAndCompare, rebuildLive } from './rebuild';
import { START, type RecordedEvent } from './types';

const meta = { commandId: 'c', correlationId: 'c', actor: 'test', schemaVersion: 1, occurredAt: '2026-12-02T00:00:00Z' };
const added = (by: number) => ({ type: 'added', data: { by } });

describe('repairing a projection in place (rebuildLive)', () => {
  let pool: Pool;
  const totals: Projection = {
    name: 'totals',
    tables: ['totals'],
    handles: handlesTypes(['added']),
    async apply(tx, events) {
      for (const event of events) {
        await tx.query('INSERT INTO totals (stream, total) VALUES ($1, $2) ON CONFLICT (stream) DO UPDATE SET total = totals.total + EXCLUDED.total',
          [event.streamId, (event.data as { by: number }).by]);
      }
    },
  };
  /** Appends and projects in one transaction, as the command path does. */
  const write = (streamId: string, version: number, by: number) => inTransaction(pool, async (tx) => {
    const { positions } = await appendToStream(tx, streamId, version, [added(by)], meta);
    await totals.apply(tx, [{ ...added(by), streamId, streamVersion: version + 1, metadata: meta, position: positions[0]!, transactionId: '', eventId: '' }]);
  });
  const live = async () => Object.fromEntries((await pool.query<{ stream: string; total: number }>('SELECT stream, total FROM totals ORDER BY stream')).rows.map((r) => [r.stream, r.total]));

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url);
    await (async () => { const admin = createPool(url); await admin.query('CREATE SCHEMA demo; CREATE TABLE demo.totals (stream text PRIMARY KEY, total int NOT NULL)'); await admin.end(); })();
    pool = createPool(url, { schema: 'demo' });
  });
  afterAll(() => pool.end());

  it('replaces rows that differ from the log with the rebuilt ones, and leaves equal ones alone', async () => {
    await write('a', 0, 1);
    await write('a', 1, 2);
    await write('b', 0, 5);
    // What an upgrade that changed the projection's rules (or a bug) leaves behind.
    await pool.query("UPDATE totals SET total = 99 WHERE stream = 'a'; INSERT INTO totals VALUES ('ghost', 7)");
    expect(await rebuildAndCompare(pool, 'demo', totals)).toMatchObject({ equal: false });

    const repair = await rebuildLive(pool, 'demo', totals);
    expect(repair).toMatchObject({ repaired: true, equal: false, differences: { totals: 3 } });
    expect(await live()).toEqual({ a: 3, b: 5 });
    expect(await rebuildAndCompare(pool, 'demo', totals)).toMatchObject({ equal: true });
    expect(await rebuildLive(pool, 'demo', totals)).toMatchObject({ repaired: false, equal: true });
  });

  it('keeps what writers committed while an older one was still running, and lets that one finish after', async () => {
    // T1 has appended, not yet projected, and is still running: the readers' gate stops at it.
    const t1 = await pool.connect();
    await t1.query('BEGIN');
    const { positions } = await appendToStream(t1, 'c', 0, [added(10)], meta);
    // T2 starts later and commits, rows and all, before the repair.
    await write('d', 0, 20);
    const repair = await rebuildLive(pool, 'demo', totals);
    // A gated read would have missed T2's event and the repair would have erased its row.
    expect(repair.repaired).toBe(false);
    expect(await live()).toEqual({ a: 3, b: 5, d: 20 });
    // T1 projects onto the repaired rows and commits.
    const event: RecordedEvent = { ...added(10), streamId: 'c', streamVersion: 1, metadata: meta, position: positions[0]!, transactionId: '', eventId: '' };
    await totals.apply(t1, [event]);
    await t1.query('COMMIT');
    t1.release();
    expect(await live()).toEqual({ a: 3, b: 5, c: 10, d: 20 });
    expect(await rebuildAndCompare(pool, 'demo', totals)).toMatchObject({ equal: true });
  });

  it('a writer that reaches the tables during a repair waits for it, then applies on top', async () => {
    await pool.query("UPDATE totals SET total = 0 WHERE stream = 'b'");
    const holder = await pool.connect();
    // Hold the repair at its lock: a writer already in the tables makes it wait.
    await holder.query('BEGIN');
    await holder.query("INSERT INTO totals VALUES ('e', 1)");
    const repair = rebuildLive(pool, 'demo', totals);
    await untilBlockedBy(pool, holder);
    // The holder's row has no event: committed, it is a difference the repair removes.
    await holder.query('COMMIT');
    holder.release();
    expect(await repair).toMatchObject({ repaired: true });
    expect(await live()).toEqual({ a: 3, b: 5, c: 10, d: 20 });
  });

  it('waits for a writer that holds the writers lock of the projection, and repairs what it committed', async () => {
    const locked: Projection = { ...totals, writersLock: 'totals-writers' };
    const writer = await pool.connect();
    await writer.query('BEGIN');
    // The writer has its lock and is deciding from the rows as they are; it has written nothing yet.
    await writer.query("SELECT pg_advisory_xact_lock(hashtext('totals-writers'))");
    await pool.query("UPDATE totals SET total = 0 WHERE stream = 'a'");
    let done = false;
    const repair = rebuildLive(pool, 'demo', locked).then((report) => { done = true; return report; });
    await untilBlockedBy(pool, writer);
    expect(done).toBe(false);
    const { positions } = await appendToStream(writer, 'f', 0, [added(4)], meta);
    await locked.apply(writer, [{ ...added(4), streamId: 'f', streamVersion: 1, metadata: meta, position: positions[0]!, transactionId: '', eventId: '' }]);
    await writer.query('COMMIT');
    writer.release();
    expect(await repair).toMatchObject({ repaired: true });
    expect(await live()).toEqual({ a: 3, b: 5, c: 10, d: 20, f: 4 });
    // The lock is given back: a writer gets it at once.
    expect((await pool.query("SELECT pg_try_advisory_lock(hashtext('totals-writers')) AS got")).rows[0].got).toBe(true);
  });

  it('rebuilds a differing projection without holding writers off, then catches up under the lock', async () => {
    await pool.query("UPDATE totals SET total = 0 WHERE stream = 'a'");
    const exclusiveLocks = () => pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
       WHERE c.relname = 'totals' AND c.relpersistence = 'p' AND l.mode = 'ExclusiveLock' AND l.granted`,
    ).then((r) => r.rows[0]!.n);
    const locksDuringRebuild: number[] = [];
    const watched: Projection = {
      ...totals,
      async apply(tx, events) {
        // A pass over the whole log (it holds stream a's events), not the catch-up.
        if (events.some((e) => e.streamId === 'a')) {
          locksDuringRebuild.push(await exclusiveLocks());
          // A writer commits while the log is being rebuilt, after it was read.
          if (locksDuringRebuild.length === 1) await write('h', 0, 6);
        }
        await totals.apply(tx, events);
      },
    };
    const repair = await rebuildLive(pool, 'demo', watched);
    expect(locksDuringRebuild.length).toBeGreaterThan(0);
    expect(locksDuringRebuild.every((n) => n === 0)).toBe(true);
    expect(repair).toMatchObject({ repaired: true, differences: { totals: 2 } });
    // The writer's event came after the rebuild's checkpoint: the catch-up applied it.
    expect(await live()).toEqual({ a: 3, b: 5, c: 10, d: 20, f: 4, h: 6 });
    // No temporary table went back to the pool with its connection.
    expect((await pool.query("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'totals' AND relpersistence = 't'")).rows[0].n).toBe(0);
  });

  it('reports a projection equal to the log while writers commit past its gate, and a differing one still differs', async () => {
    // T1 has appended and is still running: the gated rebuild stops before it. T2 starts
    // later and commits its event and row: the live rows are ahead of the rebuild.
    const t1 = await pool.connect();
    await t1.query('BEGIN');
    await appendToStream(t1, 'j', 0, [added(1)], meta);
    try {
      await write('k', 0, 2);
      expect(await rebuildAndCompare(pool, 'demo', totals)).toMatchObject({ equal: true });
      // The check looks past the gate, not away from a real difference.
      await pool.query("UPDATE totals SET total = total + 1 WHERE stream = 'k'");
      expect(await rebuildAndCompare(pool, 'demo', totals)).toMatchObject({ equal: false, differences: { totals: 2 } });
      await pool.query("UPDATE totals SET total = total - 1 WHERE stream = 'k'");
    } finally {
      await t1.query('ROLLBACK');
      t1.release();
    }
  });

  it('holds back no other reader\'s gate while it rebuilds', async () => {
    let appended = 0;
    let seenByAReader = false;
    const watched: Projection = {
      ...totals,
      async apply(tx, events) {
        // Between the rebuild's reads and its first write: a writer commits, and a gated
        // reader on another connection must see its event (the gate stops at the oldest
        // transaction still running; a rebuild holding one open would stop it there).
        if (appended++ === 0) {
          await write('i', 0, 1);
          seenByAReader = (await readLog(pool, START, { limit: 10_000 })).some((e) => e.streamId === 'i');
        }
        await totals.apply(tx, events);
      },
    };
    await rebuildAndCompare(pool, 'demo', watched);
    expect(seenByAReader).toBe(true);
  });

  it('checks a projection equal to its rebuild without holding writers off', async () => {
    // A writer is in the tables and has not committed: locking them would wait for it.
    const writer = await pool.connect();
    await writer.query('BEGIN');
    await writer.query("INSERT INTO totals VALUES ('g', 1)");
    try {
      expect(await rebuildLive(pool, 'demo', totals)).toMatchObject({ repaired: false, equal: true });
    } finally {
      await writer.query('ROLLBACK');
      writer.release();
    }
  });
});
