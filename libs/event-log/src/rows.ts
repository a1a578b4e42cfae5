import type { EventMetadata, RecordedEvent } from './types';

export interface EventRow {
  position: number;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export const EVENT_COLUMNS =
  'position, transaction_id::text AS transaction_id, event_id, stream_id, stream_version, type, data, metadata';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: row.position,
    transactionId: row.transaction_id,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
  };
}
