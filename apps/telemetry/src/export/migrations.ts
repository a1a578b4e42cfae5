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

export const telemetryMigrations: MigrationObject[] = [{ name: 'telemetry-001-telescope-jobs', class: Telemetry001 }];
