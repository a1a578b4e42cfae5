import type { EventsPage, LoggedEvent, ReadEventsQuery } from '@slipway/contracts';
import { readLogFilteredPage, type Checkpoint, type Sql } from '@slipway/event-log';
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
  const start = await checkpointAt(sql, query.after);
  const { after: _after, ...filter } = query;
  const { events, next, more } = await readLogFilteredPage(sql, start, filter);
  const page: LoggedEvent[] = events.map(({ transactionId: _t, ...event }) => redactEvent({ ...event, metadata: { ...event.metadata } }));
  // `next` is an event's position (checkpointAt resolves it to the same place), past what
  // the filter left out too; where nothing was read, the cursor stays as it was sent.
  const moved = next.transactionId !== start.transactionId || next.position !== start.position;
  return { events: page, next: moved ? next.position : query.after, more };
}
