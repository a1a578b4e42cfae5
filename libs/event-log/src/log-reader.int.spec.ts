import { poolOnNewLog } from '@slipway/testing/new-log';
import { eventually } from '@slipway/testing';
import type { Pool, PoolClient } from 'pg';
import { appendToStream } from './append';
import { randomBytes } from 'node:crypto';
import { checkpointOf, readLog, readLogFilteredPage } from './log-reader';
import { planReads } from './plan-reads.testing';
import { START, type Checkpoint, type EventMetadata } from './types';

const meta: EventMetadata = { commandId: 'c', correlationId: 'c', actor: 'test', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z' };

describe('log reader', () => {
  const log = poolOnNewLog();
  let pool: Pool;
  beforeAll(() => { pool = log.pool; });

  async function readAll(after: Checkpoint): Promise<{ streams: string[]; last: Checkpoint }> {
    const events = await readLog(pool, after, { limit: 1000 });
    return { streams: events.map((e) => e.streamId), last: events.length ? checkpointOf(events[events.length - 1]!) : after };
  }

  /** Where the log ends now: a test reads what it appends after it. */
  async function endOfLog(): Promise<Checkpoint> {
    const { rows: [end] } = await pool.query<{ transaction_id: string; position: number }>(
      'SELECT transaction_id::text AS transaction_id, position FROM events ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1');
    return end ? { transactionId: end.transaction_id, position: Number(end.position) } : START;
  }

  async function open(): Promise<PoolClient> {
    const tx = await pool.connect();
    await tx.query('BEGIN');
    return tx;
  }

  it('does not pass over an event whose transaction commits after a later position', async () => {
    const slow = await open();
    // The slow writer takes its position first and commits last.
    await appendToStream(slow, 'late-a', 0, [{ type: 't', data: {} }], meta);
    const fast = await open();
    await appendToStream(fast, 'late-b', 0, [{ type: 't', data: {} }], meta);
    await fast.query('COMMIT');
    fast.release();

    const first = await readAll(START);
    // The committed later position is held back while the earlier one is in flight.
    expect(first.streams).toEqual([]);

    await slow.query('COMMIT');
    slow.release();
    const second = await readAll(first.last);
    expect(second.streams.sort()).toEqual(['late-a', 'late-b']);
  });

  it('a rolled-back position leaves no hole that blocks readers', async () => {
    const before = await readAll(START);
    const doomed = await open();
    await appendToStream(doomed, 'gap-rolled-back', 0, [{ type: 't', data: {} }], meta);
    await doomed.query('ROLLBACK');
    doomed.release();
    const tx = await open();
    await appendToStream(tx, 'gap-after', 0, [{ type: 't', data: {} }], meta);
    await tx.query('COMMIT');
    tx.release();

    const next = await readAll(before.last);
    expect(next.streams).toEqual(['gap-after']);
  });

  it('an xid-older transaction that appends with a higher position is still read after the checkpoint', async () => {
    const older = await open();
    await older.query('SELECT pg_current_xact_id()'); // takes its transaction id now
    const younger = await open();
    await appendToStream(younger, 'xid-younger', 0, [{ type: 't', data: {} }], meta);
    await younger.query('COMMIT');
    younger.release();
    await appendToStream(older, 'xid-older', 0, [{ type: 't', data: {} }], meta);
    const checkpointBefore = (await readAll(START)).last;
    await older.query('COMMIT');
    older.release();
    const after = await readAll(checkpointBefore);
    expect(after.streams).toContain('xid-older');
  });

  it('orders by transaction id as a number, also across a power of ten', async () => {
    // Text order would put xid 10000 before 9999: move the counter up to just below a
    // power of ten (subtransactions consume ids), then append across the boundary.
    const current = Number((await pool.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x);
    const boundary = 10 ** String(current).length;
    await pool.query(`CREATE TEMP TABLE burn (n int); DO $$ BEGIN FOR i IN 1..${boundary - current - 4} LOOP
      BEGIN INSERT INTO burn VALUES (i); EXCEPTION WHEN others THEN NULL; END; END LOOP; END $$`);
    const xids: number[] = [];
    while (!xids.some((x) => x >= boundary)) {
      const tx = await open();
      await appendToStream(tx, `boundary-${xids.length}`, 0, [{ type: 't', data: {} }], meta);
      xids.push(Number((await tx.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x));
      await tx.query('COMMIT');
      tx.release();
    }
    const read = (await readLog(pool, START, { limit: 100_000 })).filter((e) => e.streamId.startsWith('boundary-'));
    expect(read.map((e) => Number(e.transactionId))).toEqual([...xids].sort((a, b) => a - b));
    expect(xids.some((x) => x < boundary)).toBe(true);
  });

  it('a filtered page that is not full goes on from the last event read, matching or not; a full one from its last event', async () => {
    const commit = async (stream: string, count: number) => {
      const tx = await open();
      await appendToStream(tx, stream, 0, Array.from({ length: count }, () => ({ type: 't', data: {} })), meta);
      await tx.query('COMMIT');
      tx.release();
    };
    const after = await endOfLog();
    await commit('rare', 1);
    await commit('busy', 3);
    const { rows: [last] } = await pool.query<{ transaction_id: string; position: number }>(
      "SELECT transaction_id::text AS transaction_id, position FROM events WHERE stream_id = 'busy' ORDER BY position DESC LIMIT 1");
    // (the gate is the whole server's: another test file's open transaction may hold it back a while)
    await eventually(async () => {
      const page = await readLogFilteredPage(pool, after, { limit: 10, stream: 'rare' });
      expect(page.events.map((e) => e.streamId)).toEqual(['rare']);
      expect(page.next).toEqual({ transactionId: last!.transaction_id, position: Number(last!.position) });
      expect(page.more).toBe(false);
    });
    const full = await readLogFilteredPage(pool, after, { limit: 2, stream: 'busy' });
    expect(full.events.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(full.next).toEqual(checkpointOf(full.events[1]!));
    expect(full.more).toBe(true);
    const rest = await readLogFilteredPage(pool, full.next, { limit: 2, stream: 'busy' });
    expect(rest.events.map((e) => e.streamVersion)).toEqual([3]);
    expect(rest.more).toBe(false);
  });

  it('filters by a stream or a type prefix ending in *, where "_" and "%" are themselves', async () => {
    const after = await endOfLog();
    const tx = await open();
    await appendToStream(tx, 'prefixed', 0, [{ type: 'target.created.v1', data: {} }, { type: 'target.updated.v1', data: {} }, { type: 'targetXcreated', data: {} }], meta);
    await tx.query('COMMIT');
    tx.release();
    await eventually(async () => {
      const page = await readLogFilteredPage(pool, after, { limit: 10, type: 'target.*' });
      expect(page.events.map((e) => e.type)).toEqual(['target.created.v1', 'target.updated.v1']);
    });
    expect((await readLogFilteredPage(pool, after, { limit: 10, type: 'target_*' })).events).toEqual([]);
    expect((await readLogFilteredPage(pool, after, { limit: 10, stream: 'prefix*', type: 'target.updated.v1' })).events.map((e) => e.type)).toEqual(['target.updated.v1']);
  });
  it('reads no more than its byte budget at once, and at least one event however large', async () => {
    const after = await endOfLog();
    // given three events of 100 KiB each (random, so compression does not shrink them)
    const tx = await open();
    await appendToStream(tx, 'large', 0, [1, 2, 3].map(() => ({ type: 't', data: { blob: randomBytes(75 * 1024).toString('base64') } })), meta);
    await tx.query('COMMIT');
    tx.release();
    await eventually(async () => expect((await readLog(pool, after, { limit: 10 })).length).toBe(3));
    // when read with room for 150 KiB: the first two (the second starts within the budget)
    const first = await readLog(pool, after, { limit: 10, maxBytes: 150 * 1024 });
    expect(first.map((e) => e.streamVersion)).toEqual([1, 2]);
    // and with room for 1 KiB: the next one all the same
    const second = await readLog(pool, checkpointOf(first[1]!), { limit: 10, maxBytes: 1024 });
    expect(second.map((e) => e.streamVersion)).toEqual([3]);
  });
  it('counts its byte budget in the JSON it reads, not as Postgres stores it compressed', async () => {
    const after = await endOfLog();
    // given three events of 100 KiB of one character each (stored compressed to a few hundred bytes)
    const tx = await open();
    await appendToStream(tx, 'compressible', 0, [1, 2, 3].map(() => ({ type: 't', data: { note: 'x'.repeat(100 * 1024) } })), meta);
    await tx.query('COMMIT');
    tx.release();
    await eventually(async () => expect((await readLog(pool, after, { limit: 10 })).length).toBe(3));
    // when read with room for 150 KiB: the first two, as for incompressible data
    expect((await readLog(pool, after, { limit: 10, maxBytes: 150 * 1024 })).map((e) => e.streamVersion)).toEqual([1, 2]);
    expect((await readLogFilteredPage(pool, after, { limit: 10, stream: 'compressible' })).events).toHaveLength(3);
  });

  it('keeps each event\'s size as JSON when it is appended, and budgets reads by it', async () => {
    const after = await endOfLog();
    // given three small events, one with letters of two and three bytes in UTF-8
    const tx = await open();
    await appendToStream(tx, 'sized', 0, [{ type: 't', data: { note: 'é€' } }, { type: 't', data: {} }, { type: 't', data: {} }], meta);
    await tx.query('COMMIT');
    tx.release();
    // then each knows its size in bytes: its data's JSON and its metadata's
    const { rows } = await pool.query<{ json_bytes: number }>("SELECT json_bytes FROM events WHERE stream_id = 'sized' ORDER BY stream_version");
    const metaBytes = Buffer.byteLength(JSON.stringify(meta));
    expect(rows.map((r) => r.json_bytes)).toEqual([Buffer.byteLength('{"note":"é€"}') + metaBytes, 2 + metaBytes, 2 + metaBytes]);
    // when their sizes said 100 KiB each, a read with room for 150 KiB takes the first two: the size kept is the one read
    await pool.query("UPDATE events SET json_bytes = 100 * 1024 WHERE stream_id = 'sized'");
    await eventually(async () => expect((await readLog(pool, after, { limit: 10 })).length).toBe(3));
    expect((await readLog(pool, after, { limit: 10, maxBytes: 150 * 1024 })).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('measures events appended before the log kept sizes by their JSON, however well they are compressed', async () => {
    const after = await endOfLog();
    // given three events of 100 KiB of one character each, appended without a size (as before migration 007)
    const tx = await open();
    await appendToStream(tx, 'unsized', 0, [1, 2, 3].map(() => ({ type: 't', data: { note: 'y'.repeat(100 * 1024) } })), meta);
    await tx.query("UPDATE events SET json_bytes = NULL WHERE stream_id = 'unsized'");
    await tx.query('COMMIT');
    tx.release();
    await eventually(async () => expect((await readLog(pool, after, { limit: 10 })).length).toBe(3));
    // when read with room for 150 KiB: the first two
    expect((await readLog(pool, after, { limit: 10, maxBytes: 150 * 1024 })).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('a filtered reader caught up at the end of the log reads only what is after it, however long the log', async () => {
    // given a log of 10,000 events, in 200 transactions as commands write them
    for (let t = 0; t < 200; t++) {
      await pool.query(`INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
        SELECT gen_random_uuid(), 'long-' || $1::int, i, 'long.v1', '{}', $2::jsonb FROM generate_series(0, 49) i`, [t, meta]);
    }
    const tail = await endOfLog();
    await pool.query('ANALYZE events');
    // when a reader at its end (an audit stream polling) reads a page, its plan examined
    const { sql: explaining, examined, most } = planReads(pool);
    await readLogFilteredPage(explaining, tail, { limit: 100 });
    await readLogFilteredPage(explaining, tail, { limit: 100, stream: 'long-7' });
    // then no step of it went through the log: the page's end bounds the reads after it
    expect(most()).toBeLessThan(100);
    // nor for a full page near the end, which asks whether more follow
    const near = { transactionId: tail.transactionId, position: tail.position - 45 };
    examined.length = 0;
    await readLogFilteredPage(explaining, near, { limit: 10 });
    await readLogFilteredPage(explaining, near, { limit: 10, stream: 'long-199' });
    expect(most()).toBeLessThan(100);
  });

  it('a page of one type reads that type\'s events after it, however many of the type come before and of others after', async () => {
    // given 10,000 events of a type, then 10,000 of another with a few of the first among them
    const from = await endOfLog();
    for (let t = 0; t < 200; t++) {
      await pool.query(`INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
        SELECT gen_random_uuid(), 'common-' || $1::int, i, 'common.v1', '{}', $2::jsonb FROM generate_series(0, 49) i`, [t, meta]);
    }
    const start = await endOfLog();
    for (let t = 0; t < 200; t++) {
      await pool.query(`INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
        SELECT gen_random_uuid(), 'other-' || $1::int, i, CASE WHEN $1::int % 50 = 0 AND i = 0 THEN 'common.v1' ELSE 'other.v1' END, '{}', $2::jsonb
        FROM generate_series(0, 49) i`, [t, meta]);
    }
    await pool.query('ANALYZE events');
    // when an auditor reads that type's page after the first run
    const { sql: explaining, most } = planReads(pool);
    await readLogFilteredPage(explaining, start, { limit: 100, type: 'common.v1' });
    // then it read the few it answers, not the other type's events between them
    expect(most()).toBeLessThan(100);
    // and those are the page: the four of that type after it, in the log's order
    const page = await readLogFilteredPage(pool, start, { limit: 100, type: 'common.v1' });
    expect(page.events.map((e) => e.streamId)).toEqual(['other-0', 'other-50', 'other-100', 'other-150']);
    expect((await readLogFilteredPage(pool, from, { limit: 20_000, type: 'common.v1' })).events).toHaveLength(10_004);
  });
});
