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

/** The audit API's filters: stream (exact, or a prefix ending in `*`), type, time range. */
export function readLogFiltered(sql: Sql, after: Checkpoint, filter: AuditFilter): Promise<RecordedEvent[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => { params.push(value); conditions.push(condition.replace('?', `$${params.length}`)); };
  if (filter.stream?.endsWith('*')) add("stream_id LIKE ? || '%'", filter.stream.slice(0, -1).replace(/[\\%_]/g, '\\$&'));
  else if (filter.stream) add('stream_id = ?', filter.stream);
  if (filter.type) add('type = ?', filter.type);
  if (filter.since) add("(metadata->>'occurredAt')::timestamptz >= ?::timestamptz", filter.since);
  if (filter.until) add("(metadata->>'occurredAt')::timestamptz < ?::timestamptz", filter.until);
  return gatedRead(sql, after, filter.limit, conditions, params);
}

export function checkpointOf(event: RecordedEvent): Checkpoint {
  return { transactionId: event.transactionId, position: event.position };
}

/** One event by its position (the whole of one the relay could only announce: relay.ts). */
export async function readEventAt(sql: Sql, position: number): Promise<RecordedEvent | undefined> {
  const { rows } = await sql.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position = $1`, [position]);
  return rows[0] ? toRecordedEvent(rows[0]) : undefined;
}
