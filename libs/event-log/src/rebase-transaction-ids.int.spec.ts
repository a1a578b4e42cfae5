import { createTestDatabase } from '@slipway/testing';
import type { Pool } from 'pg';
import { appendToStream } from './append';
import { loadCheckpoint, storeCheckpoint } from './checkpoints';
import { createPool, inTransaction } from './database';
import { readLog } from './log-reader';
import { migrate } from './migrate';
import { rebaseTransactionIds } from './rebase-transaction-ids';
import { START } from './types';

const meta = { commandId: 'c', correlationId: 'c', actor: 'test', schemaVersion: 1, occurredAt: '2026-12-04T00:00:00Z' };

const nextTransactionId = async (pool: Pool): Promise<bigint> =>
  BigInt((await pool.query<{ next: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next')).rows[0]!.next);

/**
 * A log restored from a logical dump of another server keeps that server's transaction
 * ids, ahead of this one's. Here its rows are written with such ids: more distinct ones
 * than this server has used, and in an order that is not their positions' (late commits).
 */
async function restoredLog(pool: Pool): Promise<{ count: number; ahead: bigint }> {
  const next = await nextTransactionId(pool);
  const count = Number(next) + 300;
  const ahead = next + 1_000_000n;
  // Position i carries id ahead + (count - i): the later the position, the earlier it committed.
  await pool.query(
    `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, transaction_id)
     SELECT gen_random_uuid(), 'restored', i, 'restored', '{}', $1, ($2::bigint + $3::bigint - i)::text::xid8
       FROM generate_series(1, $3::int) i`,
    [JSON.stringify(meta), ahead.toString(), count],
  );
  return { count, ahead };
}

describe('a log restored from a logical dump of another server', () => {
  let url: string;
  let pool: Pool;
  beforeAll(async () => {
    url = await createTestDatabase();
    await migrate(url);
    pool = createPool(url);
  });
  afterAll(() => pool.end());

  it('is refused at start, naming what to run; renumbered, it reads in the same order, and what comes after sorts after it', async () => {
    const { count } = await restoredLog(pool);
    const before = await readLog(pool, START, { limit: count + 10 });
    // Hidden by the readers' gate: this server has not reached those ids.
    expect(before).toEqual([]);
    const inIdOrder = (await pool.query<{ position: string }>('SELECT position FROM events ORDER BY transaction_id, position')).rows.map((r) => Number(r.position));
    // A reader halfway through, in the log's order.
    const halfway = (await pool.query<{ transaction_id: string; position: number }>(
      'SELECT transaction_id::text, position FROM events ORDER BY transaction_id, position OFFSET $1 LIMIT 1', [Math.floor(count / 2) - 1],
    )).rows[0]!;
    await storeCheckpoint(pool, 'reader', { transactionId: halfway.transaction_id, position: Number(halfway.position) });

    await expect(migrate(url)).rejects.toThrow(/transaction ids up to \d+, and this Postgres server's next one is \d+: .*npm run replay -- --rebase-transaction-ids/);

    // Not while anything else is connected (a service still running)
    await expect(rebaseTransactionIds(url)).rejects.toThrow(/other connections? (is|are) open to this database.*: stop every service/);
    await pool.end();
    const report = await rebaseTransactionIds(url);
    pool = createPool(url);
    expect(report).toMatchObject({ transactions: count, rebased: true });
    expect(report.advancedBy).toBeGreaterThan(0);

    expect(await migrate(url)).toEqual([]);
    const all = await readLog(pool, START, { limit: count + 10 });
    expect(all.map((e) => e.position)).toEqual(inIdOrder);
    const rest = await readLog(pool, await loadCheckpoint(pool, 'reader'), { limit: count + 10 });
    expect(rest.map((e) => e.position)).toEqual(inIdOrder.slice(Math.floor(count / 2)));

    await inTransaction(pool, (tx) => appendToStream(tx, 'after-restore', 0, [{ type: 'new', data: {} }], meta));
    const after = await readLog(pool, START, { limit: count + 10 });
    expect(after.map((e) => e.streamId)).toEqual([...all.map(() => 'restored'), 'after-restore']);

    // Once is enough: a second run finds nothing ahead.
    expect(await rebaseTransactionIds(url)).toMatchObject({ rebased: false, advancedBy: 0 });
  });
});
