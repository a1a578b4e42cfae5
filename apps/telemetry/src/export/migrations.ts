import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

/** The telescope jobs read model: one row per export or import job, in the document's shape. */
export const TELESCOPE_DDL_001: readonly string[] = [
  'CREATE SCHEMA IF NOT EXISTS telemetry',
  `CREATE TABLE telemetry.telescope_jobs (
    kind text NOT NULL CHECK (kind IN ('export', 'import')),
    id text NOT NULL,
    job_status text NOT NULL,
    request jsonb NOT NULL,
    result jsonb NOT NULL,
    configs jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (kind, id)
  )`,
];

export class Telemetry001 extends Migration {
  override up(): void {
    for (const statement of TELESCOPE_DDL_001) this.addSql(statement);
  }
}

/**
 * When an export finished (its completion event's time): a completed export's zip is removed
 * once SLIPWAY_EXPORT_RETENTION_HOURS have passed since. Exports completed before this
 * column was added take their time from the log.
 */
export const TELESCOPE_DDL_002: readonly string[] = [
  'ALTER TABLE telemetry.telescope_jobs ADD COLUMN finished_at timestamptz',
  `UPDATE telemetry.telescope_jobs j SET finished_at = (e.metadata->>'occurredAt')::timestamptz
    FROM public.events e WHERE j.kind = 'export' AND e.stream_id = 'telescope-export-' || j.id AND e.type = 'telemetry.export-completed.v1'`,
  "CREATE INDEX telescope_jobs_finished ON telemetry.telescope_jobs (finished_at) WHERE job_status = 'SUCCESS'",
];

export class Telemetry002 extends Migration {
  override up(): void {
    for (const statement of TELESCOPE_DDL_002) this.addSql(statement);
  }
}

export const telemetryMigrations: MigrationObject[] = [
  { name: 'telemetry-001-telescope-jobs', class: Telemetry001 },
  { name: 'telemetry-002-finished-at', class: Telemetry002 },
];
