import type { Sql } from './database';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import type { RecordedEvent } from './types';

/** All events of one stream, in version order: what a decider folds into its state. */
export async function readStream(sql: Sql, streamId: string): Promise<RecordedEvent[]> {
  const { rows } = await sql.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`, [streamId],
  );
  return rows.map(toRecordedEvent);
}
