/** Metadata every event carries, copied from the command that caused it. */
export interface EventMetadata {
  commandId: string;
  correlationId: string;
  causationId?: string;
  actor: string;
  /** The access token the actor's request carried (its id, the SHA-256 hash /api/v1/tokens lists). */
  tokenId?: string;
  schemaVersion: number;
  occurredAt: string;
}

export interface NewEvent<T = unknown> {
  type: string;
  data: T;
}

export interface RecordedEvent<T = unknown> extends NewEvent<T> {
  position: number;
  /** xid8 as text: compared in SQL, never as a JS number. */
  transactionId: string;
  eventId: string;
  streamId: string;
  streamVersion: number;
  metadata: EventMetadata;
}

/** A reader's place in the log: ordered by (transaction id, position). */
export interface Checkpoint {
  transactionId: string;
  position: number;
}

export const START: Checkpoint = { transactionId: '0', position: 0 };
