import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { EventMetadata, NewEvent } from './types';

export class ConcurrencyError extends Error {
  constructor(readonly streamId: string, readonly expectedVersion: number) {
    super(`stream ${streamId} moved past version ${expectedVersion}`);
    this.name = 'ConcurrencyError';
  }
}

export interface Appended {
  positions: number[];
  nextVersion: number;
}

/**
 * Appends events to one stream inside the caller's transaction, stating the version the
 * decision was made on. UNIQUE(stream_id, stream_version) turns a concurrent writer into
 * a ConcurrencyError, which the command handler answers by deciding again.
 */
export async function appendToStream(
  tx: PoolClient, streamId: string, expectedVersion: number, events: NewEvent[], metadata: EventMetadata,
): Promise<Appended> {
  if (events.length === 0) return { positions: [], nextVersion: expectedVersion };
  const versions = events.map((_, i) => expectedVersion + 1 + i);
  // A unique violation aborts the caller's transaction; the command handler rolls back
  // and decides again on fresh state, so no savepoint is needed here.
  try {
    const { rows } = await tx.query<{ position: number }>(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[])
       RETURNING position`,
      [events.map(() => randomUUID()), events.map(() => streamId), versions, events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)), events.map(() => JSON.stringify(metadata))],
    );
    return { positions: rows.map((r) => r.position), nextVersion: versions[versions.length - 1]! };
  } catch (error) {
    if ((error as { code?: string }).code === '23505' && String((error as { constraint?: string }).constraint).includes('stream')) {
      throw new ConcurrencyError(streamId, expectedVersion);
    }
    throw error;
  }
}
