import { DomainError, type EventsPage, type LoggedEvent, type ReadEventsQuery } from '@slipway/contracts';
import { readLogFilteredPage, type Checkpoint, type Sql } from '@slipway/event-log';
import { redactEvent } from './redact-event';

/**
 * Resolves a position cursor to the reader's (transaction id, position) checkpoint: the
 * event at that position, or the nearest one before it when the position is a gap. A
 * position past the log's last event is refused: it resolves to whichever event is last
 * when read, so a reader holding it would pass over every event written since, one per
 * read, and never be shown one (positions come from a page's `next` or an event's own,
 * never past the end; one is past it after a typo, or a restore of an older backup).
 */
async function checkpointAt(sql: Sql, position: number): Promise<Checkpoint> {
  if (position <= 0) return { transactionId: '0', position: 0 };
  const { rows } = await sql.query<{ last: number | null; transaction_id: string | null; position: number | null }>(
    `SELECT (SELECT max(position) FROM events) AS last, at.transaction_id::text AS transaction_id, at.position
     FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT transaction_id, position FROM events WHERE position <= $1 ORDER BY position DESC LIMIT 1) AS at ON true`,
    [position],
  );
  const { last, transaction_id: transactionId, position: at } = rows[0]!;
  if (last === null || position > last) {
    const end = last === null ? 'the log holds no event yet: start at 0' : `its last event is at ${last}`;
    throw new DomainError('invalid', `after ${position} is past the end of the log (${end}); a position to resume from is a page's \`next\` or an event's own`, 'after');
  }
  return transactionId === null || at === null ? { transactionId: '0', position: 0 } : { transactionId, position: at };
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
