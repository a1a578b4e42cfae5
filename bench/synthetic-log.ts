import { TargetCreated, TargetMetadataUpdated } from '@slipway/contracts';
import type { Pool } from 'pg';

/**
 * An insert into the log of the rows a SELECT gives (id, stream, version, type, data,
 * metadata), each with its size as JSON text, as the services' appends keep it
 * (json_bytes): the readers then budget these as they do a real log.
 */
export const insertEventsFrom = (select: string): string =>
  `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, json_bytes)
   SELECT event_id, stream_id, stream_version, type, data, metadata, octet_length(data::text) + octet_length(metadata::text)
   FROM (${select}) AS appended (event_id, stream_id, stream_version, type, data, metadata)`;

/**
 * Appends `streams` synthetic targets with `updates` metadata changes each, straight into
 * the log in one statement per event kind, to give the replay a log worth measuring.
 */
export async function appendSyntheticTargets(pool: Pool, streams: number, updates: number): Promise<number> {
  const meta = JSON.stringify({ commandId: 'bench', correlationId: 'bench', actor: 'bench', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z' });
  await pool.query(
    insertEventsFrom(`SELECT gen_random_uuid(), 'target-bench/t' || i, 1, $1,
       jsonb_build_object('namespace', 'bench', 'name', 't' || i, 'labels', jsonb_build_object('v', '0'), 'annotations', '{}'::jsonb,
         'kubernetesNamespace', 'bench', 'id', md5('t' || i)::uuid, 'createdAt', '2026-01-01T00:00:00.000Z'), $2::jsonb
     FROM generate_series(1, $3::int) AS i`),
    [TargetCreated.type, meta, streams],
  );
  await pool.query(
    insertEventsFrom(`SELECT gen_random_uuid(), 'target-bench/t' || i, 1 + u, $1,
       jsonb_build_object('id', md5('t' || i)::uuid, 'labels', jsonb_build_object('v', u::text), 'annotations', '{}'::jsonb,
         'modifiedAt', '2026-01-02T00:00:00.000Z'), $2::jsonb
     FROM generate_series(1, $3::int) AS i, generate_series(1, $4::int) AS u`),
    [TargetMetadataUpdated.type, meta, streams, updates],
  );
  return streams * (1 + updates);
}
