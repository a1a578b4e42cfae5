import { millisecondAtOrAfter } from '@slipway/contracts';
import type { Sql } from './database';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import type { Checkpoint, RecordedEvent } from './types';

export interface ReadOptions {
  limit: number;
  /** Only these event types (the checkpoint still advances past others in the batch). */
  types?: string[];
  /** Stop before an event once the events before it hold this much data (READ_BUDGET_BYTES). */
  maxBytes?: number;
}

/**
 * What one read of the log may bring into memory, besides its first event: events carry
 * uploads of up to 4 MiB, and a batch counted in events alone (the relay's 500, a
 * rebuild's 5,000) could hold gigabytes. Measured as the text Postgres sends (the JSON's
 * bytes), not as stored: compressed, 500 events of a 262 KB annotation of one repeated
 * character stored 1.7 MB and read 123 MB in one page (a black-box probe).
 */
export const READ_BUDGET_BYTES = 16 * 1024 * 1024;

/** Conditions ANDed on, their parameters numbered after the four every paged read has. */
const afterTheFour = (conditions: string[]): string =>
  conditions.map((c) => `AND ${c.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + 4}`)}`).join(' ');

/**
 * The rows after (`xid`, `position`) in the readers' order. Of one type only (`type`, the SQL
 * of its value), as one range of the index of each type's events in that order (migration
 * 011), from the checkpoint to the type's last: `type <= x` with the row compared from
 * (x, …) is `type = x`, written so that the planner cannot take the type for a constant and
 * the log's own index for one that gives the order (readOrder). It did, the type then a
 * filter expected to match after the checkpoint as often as before, and read every event of
 * the other types up to the page's end (250,000 for 88 at 500,000 events: scale probe).
 */
function readAfter(xid: string, position: string, type?: string, table = ''): string {
  return type === undefined
    ? `(${table}transaction_id, ${table}position) > (${xid}, ${position})`
    : `(${table}type, ${table}transaction_id, ${table}position) > (${type}, ${xid}, ${position}) AND ${table}type <= ${type}`;
}

/** The readers' order, as the rows `readAfter` gives are read: of one type, that type's index's. */
function readOrder(type?: string, table = ''): string {
  return `${type === undefined ? '' : `${table}type, `}${table}transaction_id, ${table}position`;
}

/**
 * Rows in the gated readers' order after a checkpoint, at most `limit`, and only as
 * many as fit in `maxBytes` (at least one): the running size is summed in the same scan.
 * An event's size is its JSON's, as appended (`json_bytes`, migration 007: the compact
 * text's, some tenths below what Postgres sends for events of many small keys). One appended
 * before has none: such rows are cut first by the size stored (cheap: no row is unpacked),
 * then, of what is left, by their JSON's (each row's text made once): made for every row up
 * to `limit`, a run of large events was unpacked again on every read and read ~17 times
 * slower (a review measured 300 events of 3 MB); stored, well-compressed events slipped
 * through (READ_BUDGET_BYTES), and a run of those is still unpacked again by each read.
 * (Ordered by the columns, qualified: the output's `transaction_id` is text.)
 * `$1`–`$4` are the checkpoint, the limit and the budget; `conditions` number theirs after.
 * Each row also says how much the read holds up to it (`bytes_through`).
 */
export function pagedEventsSql(conditions: string[], gated: boolean, type?: string): string {
  const where = afterTheFour(conditions);
  return `SELECT ${EVENT_COLUMNS}, before + size AS bytes_through FROM (
       SELECT sized.*, sum(size) OVER (ORDER BY transaction_id, position ROWS UNBOUNDED PRECEDING) - size AS before FROM (
         SELECT stored.*, COALESCE(json_bytes, octet_length(data::text) + octet_length(metadata::text)) AS size FROM (
           SELECT events.*, sum(COALESCE(json_bytes, pg_column_size(data) + pg_column_size(metadata))) OVER (ORDER BY ${readOrder(type)} ROWS UNBOUNDED PRECEDING)
             - COALESCE(json_bytes, pg_column_size(data) + pg_column_size(metadata)) AS stored_before
           FROM events
           WHERE ${readAfter('$1::xid8', '$2::bigint', type)}
             ${gated ? 'AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())' : ''}
             ${where}
           ORDER BY ${readOrder(type, 'events.')}
           LIMIT $3) stored
         WHERE stored_before = 0 OR stored_before < $4) sized) events
     WHERE before = 0 OR before < $4
     ORDER BY events.transaction_id, events.position`;
}

export interface AuditFilter {
  limit: number;
  stream?: string;
  type?: string;
  /** Who wrote the events (metadata.actor), the command that wrote them, the chain of commands it belongs to. */
  actor?: string;
  commandId?: string;
  correlationId?: string;
  since?: string;
  until?: string;
  /** The page's budget of event data (READ_BUDGET_BYTES when not given); at least one event is read. */
  maxBytes?: number;
}

/**
 * The one gate every reader passes: rows in (transaction id, position) order, after a
 * checkpoint, written only by transactions older than every transaction still running.
 * A position taken by a transaction that commits later is therefore read later, never
 * skipped; a rolled-back one never appears and blocks nothing.
 */
async function gatedRead(sql: Sql, after: Checkpoint, limit: number, conditions: string[], params: unknown[], maxBytes = READ_BUDGET_BYTES): Promise<RecordedEvent[]> {
  const { rows } = await sql.query<EventRow>(pagedEventsSql(conditions, true), [after.transactionId, after.position, limit, maxBytes, ...params]);
  return rows.map(toRecordedEvent);
}

/**
 * A read in the gated readers' order (through the gate, or — `gated` false — all that the
 * caller's snapshot sees), and the stored bytes of what it read: for a reader that keeps
 * many reads in memory at once (a rebuild's groups).
 */
export async function readLogSized(sql: Sql, after: Checkpoint, limit: number, gated: boolean): Promise<{ events: RecordedEvent[]; bytes: number }> {
  const { rows } = await sql.query<EventRow & { bytes_through: string }>(pagedEventsSql([], gated), [after.transactionId, after.position, limit, READ_BUDGET_BYTES]);
  return { events: rows.map(toRecordedEvent), bytes: rows.length ? Number(rows[rows.length - 1]!.bytes_through) : 0 };
}

export function readLog(sql: Sql, after: Checkpoint, options: ReadOptions): Promise<RecordedEvent[]> {
  return options.types
    ? gatedRead(sql, after, options.limit, ['type = ANY($1::text[])'], [options.types], options.maxBytes)
    : gatedRead(sql, after, options.limit, [], [], options.maxBytes);
}

/** The audit API's filters as SQL conditions: stream and type (each exact, or a prefix ending in `*`), time range. */
function filterConditions(filter: AuditFilter): { conditions: string[]; params: unknown[]; type?: string } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => { params.push(value); conditions.push(condition.replace('?', `$${params.length}`)); };
  const matching = (column: string, value: string) => (value.endsWith('*')
    ? add(`${column} LIKE ? || '%'`, value.slice(0, -1).replace(/[\\%_]/g, '\\$&'))
    : add(`${column} = ?`, value));
  if (filter.stream) matching('stream_id', filter.stream);
  // An exact type's parameter, as numbered in the paged read (afterTheFour): its rows are read as the type's range.
  let type: string | undefined;
  if (filter.type?.endsWith('*')) matching('type', filter.type);
  else if (filter.type) {
    params.push(filter.type);
    type = `$${params.length + 4}::text`;
  }
  if (filter.actor) matching("metadata->>'actor'", filter.actor);
  if (filter.commandId) matching("metadata->>'commandId'", filter.commandId);
  if (filter.correlationId) matching("metadata->>'correlationId'", filter.correlationId);
  // Bounds finer than the millisecond events are written to are taken to the next one (Postgres would round them).
  if (filter.since) add("(metadata->>'occurredAt')::timestamptz >= ?::timestamptz", millisecondAtOrAfter(filter.since));
  if (filter.until) add("(metadata->>'occurredAt')::timestamptz < ?::timestamptz", millisecondAtOrAfter(filter.until));
  return { conditions, params, type };
}


/** A filtered page of the log: its events, where the next page starts, and whether more may follow. */
export interface FilteredPage {
  events: RecordedEvent[];
  next: Checkpoint;
  /** Whether an event after `next` matches the filter below the gate (the page was cut by its limit or byte budget). */
  more: boolean;
}

/**
 * A filtered page, and where the next one starts: after its last event, or — when no
 * event after that matches the filter below the gate — after the last event the gate lets
 * through, matching or not (read in the same statement, so in the same snapshot). A
 * reader polling for rare events (an audit stream of one target) then goes past what did
 * not match instead of reading it again on every poll; no later event can come before
 * that point, its transaction being newer than every transaction the gate let through.
 * The page's end is given to the reads after it as values (scalar subqueries), not joined:
 * joined, Postgres could not bound the index scans by it, and a reader caught up at the
 * log's end (an audit stream polling) walked the whole log backwards on every poll
 * (100 ms at 500,000 events). Whether more match is asked in the log's order, so that it
 * walks forward from the page's end (as EXISTS, whose order Postgres drops, it chose to
 * scan the whole table).
 */
export async function readLogFilteredPage(sql: Sql, after: Checkpoint, filter: AuditFilter): Promise<FilteredPage> {
  const { conditions, params, type } = filterConditions(filter);
  const matching = afterTheFour(conditions);
  const { rows } = await sql.query<EventRow & { page: boolean; more: boolean | null }>(
    `WITH page AS MATERIALIZED (${pagedEventsSql(conditions, true, type)}),
     edge AS (
       SELECT COALESCE(max(transaction_id::xid8), $1::xid8) AS xid FROM page),
     since AS (
       SELECT edge.xid, COALESCE((SELECT max(position) FROM page WHERE transaction_id::xid8 = edge.xid), $2::bigint) AS position FROM edge),
     more AS (
       SELECT COALESCE((
         SELECT true FROM events
         WHERE ${readAfter('(SELECT xid FROM since)', '(SELECT position FROM since)', type, 'events.')}
           AND events.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ${matching}
         ORDER BY ${readOrder(type, 'events.')} LIMIT 1), false) AS more)
     SELECT page.*, true AS page, NULL::boolean AS more FROM page
     UNION ALL
     (SELECT e.position, e.transaction_id::text, e.event_id, e.stream_id, e.stream_version, e.type, NULL::jsonb, NULL::jsonb, NULL::bigint, false, (SELECT more FROM more)
      FROM events e
      WHERE (e.transaction_id, e.position) > ((SELECT xid FROM since), (SELECT position FROM since)) AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.transaction_id DESC, e.position DESC LIMIT 1)`,
    [after.transactionId, after.position, filter.limit, Math.min(filter.maxBytes ?? READ_BUDGET_BYTES, READ_BUDGET_BYTES), ...params],
  );
  const events = rows.filter((row) => row.page).map(toRecordedEvent).sort(inReadOrder);
  // The last event the gate lets through after the page, if any, and whether any after the page matches.
  const beyond = rows.find((row) => !row.page);
  const more = beyond?.more === true;
  const lastOfPage = events[events.length - 1];
  const next = beyond && !more ? { transactionId: beyond.transaction_id, position: Number(beyond.position) } : lastOfPage ? checkpointOf(lastOfPage) : after;
  return { events, next, more };
}

/** The gated readers' order: transaction id (a 64-bit number, compared as one), then position. */
function inReadOrder(a: RecordedEvent, b: RecordedEvent): number {
  const x = BigInt(a.transactionId);
  const y = BigInt(b.transactionId);
  return x < y ? -1 : x > y ? 1 : a.position - b.position;
}

export function checkpointOf(event: RecordedEvent): Checkpoint {
  return { transactionId: event.transactionId, position: event.position };
}

/** One event by its position (the whole of one the relay could only announce: relay.ts). */
export async function readEventAt(sql: Sql, position: number): Promise<RecordedEvent | undefined> {
  const { rows } = await sql.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position = $1`, [position]);
  return rows[0] ? toRecordedEvent(rows[0]) : undefined;
}
