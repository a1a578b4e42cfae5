import type { Sql } from './database';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import type { Checkpoint, RecordedEvent } from './types';

export interface ReadOptions {
  limit: number;
  /** Only these event types (the checkpoint still advances past others in the batch). */
  types?: string[];
}

export interface AuditFilter {
  limit: number;
  stream?: string;
  type?: string;
  since?: string;
  until?: string;
}

/**
 * The one gate every reader passes: rows in (transaction id, position) order, after a
 * checkpoint, written only by transactions older than every transaction still running.
 * A position taken by a transaction that commits later is therefore read later, never
 * skipped; a rolled-back one never appears and blocks nothing.
 */
async function gatedRead(sql: Sql, after: Checkpoint, limit: number, conditions: string[], params: unknown[]): Promise<RecordedEvent[]> {
  const base = [after.transactionId, after.position, limit];
  const where = conditions.map((c) => `AND ${c.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + base.length}`)}`).join(' ');
  const { rows } = await sql.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ${where}
     ORDER BY events.transaction_id, events.position
     LIMIT $3`,
    [...base, ...params],
  );
  return rows.map(toRecordedEvent);
}

export function readLog(sql: Sql, after: Checkpoint, options: ReadOptions): Promise<RecordedEvent[]> {
  return options.types
    ? gatedRead(sql, after, options.limit, ['type = ANY($1::text[])'], [options.types])
    : gatedRead(sql, after, options.limit, [], []);
}

/** The audit API's filters as SQL conditions: stream (exact, or a prefix ending in `*`), type, time range. */
function filterConditions(filter: AuditFilter): { conditions: string[]; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => { params.push(value); conditions.push(condition.replace('?', `$${params.length}`)); };
  if (filter.stream?.endsWith('*')) add("stream_id LIKE ? || '%'", filter.stream.slice(0, -1).replace(/[\\%_]/g, '\\$&'));
  else if (filter.stream) add('stream_id = ?', filter.stream);
  if (filter.type) add('type = ?', filter.type);
  if (filter.since) add("(metadata->>'occurredAt')::timestamptz >= ?::timestamptz", filter.since);
  if (filter.until) add("(metadata->>'occurredAt')::timestamptz < ?::timestamptz", filter.until);
  return { conditions, params };
}

export function readLogFiltered(sql: Sql, after: Checkpoint, filter: AuditFilter): Promise<RecordedEvent[]> {
  const { conditions, params } = filterConditions(filter);
  return gatedRead(sql, after, filter.limit, conditions, params);
}

/**
 * A filtered page, and where the next one starts: after its last event when the page is
 * full, else after the last event the gate lets through, matching or not (read in the
 * same statement, so in the same snapshot). A reader polling for rare events (an audit
 * stream of one target) then goes past what did not match instead of reading it again on
 * every poll; no later event can come before that point, its transaction being newer
 * than every transaction the gate let through.
 */
export async function readLogFilteredPage(sql: Sql, after: Checkpoint, filter: AuditFilter): Promise<{ events: RecordedEvent[]; next: Checkpoint }> {
  const { conditions, params } = filterConditions(filter);
  const base = [after.transactionId, after.position, filter.limit];
  const where = conditions.map((c) => `AND ${c.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + base.length}`)}`).join(' ');
  const { rows } = await sql.query<EventRow & { page: boolean }>(
    `WITH gate AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     page AS (
       SELECT ${EVENT_COLUMNS}, true AS page FROM events, gate
       WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND transaction_id < gate.xmin ${where}
       ORDER BY events.transaction_id, events.position LIMIT $3)
     SELECT * FROM page
     UNION ALL
     -- Only where it is: its data is not needed.
     (SELECT position, transaction_id::text AS transaction_id, event_id, stream_id, stream_version, type,
        NULL::jsonb AS data, NULL::jsonb AS metadata, false AS page FROM events, gate
      WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND transaction_id < gate.xmin
        AND (SELECT count(*) FROM page) < $3
      ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1)`,
    [...base, ...params],
  );
  const events = rows.filter((row) => row.page).map(toRecordedEvent);
  const reached = rows.find((row) => !row.page);
  const lastOfPage = events[events.length - 1];
  const next = reached ? { transactionId: reached.transaction_id, position: Number(reached.position) } : lastOfPage ? checkpointOf(lastOfPage) : after;
  return { events, next };
}

export function checkpointOf(event: RecordedEvent): Checkpoint {
  return { transactionId: event.transactionId, position: event.position };
}

/** One event by its position (the whole of one the relay could only announce: relay.ts). */
export async function readEventAt(sql: Sql, position: number): Promise<RecordedEvent | undefined> {
  const { rows } = await sql.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position = $1`, [position]);
  return rows[0] ? toRecordedEvent(rows[0]) : undefined;
}
