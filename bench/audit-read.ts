import { performance } from 'node:perf_hooks';
import { checkpointOf, createPool, migrate, readEventAt, readLogFilteredPage, type Checkpoint } from '@slipway/event-log';
import { readEvents } from '../apps/telemetry/src/audit/read-events';
import { insertEventsFrom } from './synthetic-log';

/**
 * What a page of the audit log costs a reader caught up at the end of a long log (an audit
 * stream polling, `/api/v1/events?after=<last>`) and one a page before the end, unfiltered
 * and by stream, against reading one event by its position: none should grow with the log.
 */
export interface AuditReadResult { events: number; byPositionMs: number; caughtUpMs: number; caughtUpStreamMs: number; nearEndMs: number; caughtUpApiMs: number }

const TRANSACTIONS = 2_000;
const PER_TRANSACTION = 100;
const ROUNDS = 200;

export async function auditReadBench(databaseUrl: string): Promise<AuditReadResult> {
  await migrate(databaseUrl);
  const pool = createPool(databaseUrl, { max: 2 });
  try {
    const meta = { commandId: 'bench', correlationId: 'bench', actor: 'bench', schemaVersion: 1, occurredAt: '2026-12-05T00:00:00.000Z' };
    // One transaction per command, as the log is written: the readers' order is by transaction.
    for (let t = 0; t < TRANSACTIONS; t++) {
      await pool.query(insertEventsFrom(`SELECT gen_random_uuid(), 'target-audit/t' || (i % 50), $1::int * $2::int + i, 'target.updated.v1', '{"labels":{"round":"1"}}'::jsonb, $3::jsonb
        FROM generate_series(0, $2::int - 1) i`), [t, PER_TRANSACTION, meta]);
    }
    await pool.query('ANALYZE events');
    const { rows: [last] } = await pool.query<{ transaction_id: string; position: string }>(
      'SELECT transaction_id::text AS transaction_id, position FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1');
    const end: Checkpoint = { transactionId: last!.transaction_id, position: Number(last!.position) };
    const nearEnd = checkpointOf((await readLogFilteredPage(pool, { transactionId: end.transactionId, position: end.position - 150 }, { limit: 1 })).events[0]!);
    const timed = async (read: () => Promise<unknown>) => {
      const started = performance.now();
      for (let i = 0; i < ROUNDS; i++) await read();
      return (performance.now() - started) / ROUNDS;
    };
    // In turn, so that drift hits them alike.
    const totals = { byPositionMs: 0, caughtUpMs: 0, caughtUpStreamMs: 0, nearEndMs: 0, caughtUpApiMs: 0 };
    for (let round = 0; round < 3; round++) {
      totals.byPositionMs += await timed(() => readEventAt(pool, end.position - 5_000));
      totals.caughtUpMs += await timed(() => readLogFilteredPage(pool, end, { limit: 100 }));
      totals.caughtUpStreamMs += await timed(() => readLogFilteredPage(pool, end, { limit: 100, stream: 'target-audit/t7' }));
      totals.nearEndMs += await timed(() => readLogFilteredPage(pool, nearEnd, { limit: 100 }));
      // As the audit API answers it: the position resolved to its checkpoint (and checked against the log's end), the page redacted.
      totals.caughtUpApiMs += await timed(() => readEvents(pool, { after: end.position, limit: 100 }));
    }
    return {
      events: TRANSACTIONS * PER_TRANSACTION,
      byPositionMs: totals.byPositionMs / 3, caughtUpMs: totals.caughtUpMs / 3, caughtUpStreamMs: totals.caughtUpStreamMs / 3, nearEndMs: totals.nearEndMs / 3,
      caughtUpApiMs: totals.caughtUpApiMs / 3,
    };
  } finally {
    await pool.end();
  }
}
