import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import { Client } from 'pg';
import { EventLog001 } from './migrations/001-event-log';
import { EventLog002 } from './migrations/002-command-retries';
import { EventLog003 } from './migrations/003-stream-snapshots';
import { EventLog004 } from './migrations/004-projection-versions';
import { EventLog005 } from './migrations/005-command-fingerprints';

/** The event log's migrations; each service appends its read-model migrations after them. */
export const eventLogMigrations: MigrationObject[] = [
  { name: '001-event-log', class: EventLog001 },
  { name: '002-command-retries', class: EventLog002 },
  { name: '003-stream-snapshots', class: EventLog003 },
  { name: '004-projection-versions', class: EventLog004 },
  { name: '005-command-fingerprints', class: EventLog005 },
];

const MIGRATION_LOCK = 7_421_001;

/**
 * Brings the schema up to date with MikroORM's migrator (or up to the migration named
 * `to`: a test of a migration's data starts before it). Idempotent; concurrent callers
 * (several services starting at once) serialise on an advisory lock.
 */
export async function migrate(url: string, migrations: MigrationObject[] = [], to?: string): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const orm = await MikroORM.init({
      clientUrl: url,
      entities: [],
      discovery: { warnWhenNoEntities: false },
      logger: () => undefined,
      extensions: [Migrator],
      migrations: { migrationsList: [...eventLogMigrations, ...migrations], transactional: true, allOrNothing: true, snapshot: false },
    });
    try {
      return (await orm.migrator.up(to ? { to } : undefined)).map((m) => m.name);
    } finally {
      await orm.close(true);
    }
  } finally {
    await lock.end();
  }
}
