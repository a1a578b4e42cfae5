import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { literal } from './literal-sql';
import type { EventMetadata, NewEvent } from './types';

export class ConcurrencyError extends Error {
  constructor(readonly streamId: string) {
    super(`stream ${streamId} was appended to concurrently`);
    this.name = 'ConcurrencyError';
  }
}

/** An event about to be written, with the stream version it claims. */
export interface PendingEvent extends NewEvent {
  streamId: string;
  streamVersion: number;
  metadata: EventMetadata;
}

/**
 * Writes events of any number of streams in one statement, inside the caller's
 * transaction. Each claims its stream version; UNIQUE(stream_id, stream_version) turns a
 * concurrent writer into a ConcurrencyError (the transaction is then aborted, and the
 * command path decides again on fresh state). Returns the positions in input order.
 */
export async function insertEvents(tx: PoolClient, events: PendingEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = events.map(asRow);
  try {
    const { rows: inserted } = await tx.query<{ stream_id: string; stream_version: number; position: number }>(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, json_bytes)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[], $7::int[])
       RETURNING stream_id, stream_version, position`,
      [0, 1, 2, 3, 4, 5, 6].map((column) => rows.map((row) => row[column])),
    );
    const byKey = new Map(inserted.map((r) => [`${r.stream_version}\u0000${r.stream_id}`, r.position]));
    return events.map((e) => byKey.get(`${e.streamVersion}\u0000${e.streamId}`)!);
  } catch (error) {
    throw asAppendError(error);
  }
}

/**
 * An event's columns as inserted, in the table's order: its id, stream, version, type, data
 * and metadata as JSON text, and their size in bytes (what readers budget by: log-reader.ts;
 * the compact text's, a little less than Postgres's, which puts a space after each `:` and `,`).
 */
function asRow(e: PendingEvent): [string, string, number, string, string, string, number] {
  const data = JSON.stringify(e.data);
  const metadata = JSON.stringify(e.metadata);
  // An event without data has no text (the insert refuses it, NOT NULL): its size is no matter.
  return [randomUUID(), e.streamId, e.streamVersion, e.type, data, metadata, Buffer.byteLength(data ?? '') + Buffer.byteLength(metadata ?? '')];
}

/** Appends to one stream after `expectedVersion` (see insertEvents). */
export async function appendToStream(
  tx: PoolClient, streamId: string, expectedVersion: number, events: NewEvent[], metadata: EventMetadata,
): Promise<{ positions: number[]; nextVersion: number }> {
  const pending = events.map((e, i) => ({ ...e, streamId, streamVersion: expectedVersion + 1 + i, metadata }));
  return { positions: await insertEvents(tx, pending), nextVersion: expectedVersion + events.length };
}

/** The constraint that makes a concurrent writer of a stream fail (001-event-log). */
const STREAM_VERSION_KEY = 'events_stream_id_stream_version_key';

/** A unique violation on (stream_id, stream_version) is a concurrent writer: a ConcurrencyError. */
export function asAppendError(error: unknown): unknown {
  const { code, constraint, detail } = error as { code?: string; constraint?: string; detail?: string };
  return code === '23505' && constraint === STREAM_VERSION_KEY
    ? new ConcurrencyError(/\(stream_id, stream_version\)=\(([^,]*)/.exec(detail ?? '')?.[1] ?? '?')
    : error;
}

/**
 * The same insert as one literal statement, to be sent in one message with what follows
 * it (the commit). Positions are assigned by the log's identity column as it runs, in
 * the order given. Errors it raises go through asAppendError like insertEvents'.
 */
export function insertEventsStatement(events: PendingEvent[]): string {
  const rows = events.map((e) => `(${asRow(e).map(literal).join(', ')})`);
  return `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, json_bytes) VALUES ${rows.join(', ')}`;
}
