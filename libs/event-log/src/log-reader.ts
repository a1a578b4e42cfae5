import type { Sql } from './database';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import type { Checkpoint, RecordedEvent } from './types';

export interface ReadOptions {
  limit: number;
  /** Only these event types (the checkpoint still advances past others in the batch). */
  types?: string[];
}

/**
 * Reads the next events after a checkpoint, in (transaction id, position) order, and only
 * those written by transactions older than every transaction still running. A position
 * taken by a transaction that commits later is therefore read later, never skipped; a
 * rolled-back one simply never appears and blocks nothing.
 */
export async function readLog(sql: Sql, after: Checkpoint, options: ReadOptions): Promise<RecordedEvent[]> {
  const filter = options.types ? 'AND type = ANY($4::text[])' : '';
  const params: unknown[] = [after.transactionId, after.position, options.limit];
  if (options.types) params.push(options.types);
  const { rows } = await sql.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ${filter}
     ORDER BY transaction_id, position
     LIMIT $3`,
    params,
  );
  return rows.map(toRecordedEvent);
}

export function checkpointOf(event: RecordedEvent): Checkpoint {
  return { transactionId: event.transactionId, position: event.position };
}
