import type { EventsPage, LoggedEvent, ReadEventsQuery } from '@slipway/contracts';
import { readLogFiltered, type Checkpoint, type Sql } from '@slipway/event-log';
import { redactEvent } from './redact-event';

/**
 * Resolves a position cursor to the reader's (transaction id, position) checkpoint: the
 * event at that position, or the nearest one before it when the position is a gap.
 */
async function checkpointAt(sql: Sql, position: number): Promise<Checkpoint> {
  if (position <= 0) return { transactionId: '0', position: 0 };
  const { rows } = await sql.query<{ transaction_id: string; position: number }>(
    'SELECT transaction_id::text AS transaction_id, position FROM events WHERE position <= $1 ORDER BY position DESC LIMIT 1', [position],
  );
  return rows[0] ? { transactionId: rows[0].transaction_id, position: rows[0].position } : { transactionId: '0', position: 0 };
}

/**
 * A page of the audit log after a position, through the same gated reader as the relay,
 * secret-looking values redacted (the SSE stream reads its pages here too).
 */
export async function readEvents(sql: Sql, query: ReadEventsQuery): Promise<EventsPage> {
  const events = await readLogFiltered(sql, await checkpointAt(sql, query.after), {
    limit: query.limit, stream: query.stream, type: query.type, since: query.since, until: query.until,
  });
  const page: LoggedEvent[] = events.map(({ transactionId: _t, ...event }) => redactEvent({ ...event, metadata: { ...event.metadata } }));
  return { events: page, next: page.length ? page[page.length - 1]!.position : query.after };
}
