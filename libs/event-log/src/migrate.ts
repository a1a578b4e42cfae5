import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import { Client } from 'pg';
import { keepServerSideAlive } from './database';
import { EventLog001 } from './migrations/001-event-log';
import { EventLog002 } from './migrations/002-command-retries';
import { EventLog003 } from './migrations/003-stream-snapshots';
import { EventLog004 } from './migrations/004-projection-versions';
import { EventLog005 } from './migrations/005-command-fingerprints';
import { EventLog006 } from './migrations/006-installation';
import { EventLog007 } from './migrations/007-event-json-bytes';
import { EventLog008 } from './migrations/008-outcome-dead-lettered';
import { EventLog009 } from './migrations/009-retry-refusal-record';
import { EventLog010 } from './migrations/010-outcome-as-sent';
import { EventLog011 } from './migrations/011-events-type-in-read-order';

/** The event log's migrations; each service appends its read-model migrations after them. */
export const eventLogMigrations: MigrationObject[] = [
  { name: '001-event-log', class: EventLog001 },
  { name: '002-command-retries', class: EventLog002 },
  { name: '003-stream-snapshots', class: EventLog003 },
  { name: '004-projection-versions', class: EventLog004 },
  { name: '005-command-fingerprints', class: EventLog005 },
  { name: '006-installation', class: EventLog006 },
  { name: '007-event-json-bytes', class: EventLog007 },
  { name: '008-outcome-dead-lettered', class: EventLog008 },
  { name: '009-retry-refusal-record', class: EventLog009 },
  { name: '010-outcome-as-sent', class: EventLog010 },
  { name: '011-events-type-in-read-order', class: EventLog011 },
];

const CONNECT_TIMEOUT_MS = 10_000;

/** Held while the schema is migrated, and while the log is renumbered (rebaseTransactionIds). */
export const MIGRATION_LOCK = 7_421_001;

/**
 * Brings the schema up to date with MikroORM's migrator (or up to the migration named
 * `to`: a test of a migration's data starts before it). Idempotent; concurrent callers
 * (several services starting at once) serialise on an advisory lock. Refuses a database a
 * newer version of the service migrated (newerMigrations): it would misread what that wrote.
 */
export async function migrate(url: string, migrations: MigrationObject[] = [], to?: string): Promise<string[]> {
  // A server that takes the connection and never answers (stopped, not gone) fails the
  // attempt after a while, which a starting service says and retries (untilReachable).
  const lock = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // Lost while waiting for the lock (a restart), it fails the start through its query, not as an uncaught error.
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    // Held while MikroORM migrates on connections of its own: were this host lost, the server would keep it for hours.
    await keepServerSideAlive(lock);
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
      const newer = newerMigrations((await orm.migrator.getExecuted()).map((m) => m.name), migrations.map((m) => m.name));
      if (newer.length > 0) {
        throw new Error(`this database was migrated by a newer version of Slipway (migrations this version does not know: ${newer.join(', ')}); `
          + 'run that version, or restore a backup taken before the upgrade: this one would misread what the newer one wrote (sealed values pushed as they are stored, say)');
      }
      const ran = (await orm.migrator.up(to ? { to } : undefined)).map((m) => m.name);
      await refuseForeignTransactionIds(lock);
      return ran;
    } finally {
      await orm.close(true);
    }
  } finally {
    await lock.end();
  }
}

/** A migration's family: a service's (`deployer-003-sealed-values`), or the event log's (`005-command-fingerprints`). */
const familyOf = (name: string): string => name.replace(/\d{3}-.*$/, '');

/**
 * The migrations a database has run that a service knowing `own` (its read models'
 * migrations) does not, in its own families: written by a newer version of it. Another
 * service's are that service's to judge; the event log's, which every service runs, are
 * not judged (an older service of another kind must go on restarting while its newer
 * peers roll out one Deployment at a time).
 */
export function newerMigrations(executed: string[], own: string[]): string[] {
  const families = new Set(own.map(familyOf).filter((family) => family !== ''));
  const names = new Set(own);
  return executed.filter((name) => families.has(familyOf(name)) && !names.has(name));
}

/**
 * Refuses a log whose transaction ids run ahead of this server's: a log restored from a
 * logical dump (pg_dump, logical replication) into another cluster keeps the ids of the
 * one it came from, and every reader orders and gates the log by them (the relay, the
 * projections, the audit API), so they would pass over what is restored, or over every new
 * event until this server's count caught up. The README's "Backups" says what to do.
 */
async function refuseForeignTransactionIds(sql: Client): Promise<void> {
  const { rows } = await sql.query<{ highest: string | null; next: string }>(
    `SELECT greatest((SELECT max(transaction_id) FROM events), (SELECT max(transaction_id) FROM checkpoints))::text AS highest,
            pg_snapshot_xmax(pg_current_snapshot())::text AS next`,
  );
  const { highest, next } = rows[0]!;
  if (highest === null || BigInt(highest) < BigInt(next)) return;
  throw new Error(`the event log holds transaction ids up to ${highest}, and this Postgres server's next one is ${next}: the log was restored `
    + 'from a logical dump (pg_dump, logical replication) of another server, and its readers order it by those ids. '
    + 'With every service stopped, `npm run replay -- --rebase-transaction-ids` (DATABASE_URL set to this database) renumbers them in order (README, "Backups")');
}

/** The installation's id (migration 006), made once with its database. */
export async function installationId(sql: Pick<Client, 'query'>): Promise<string> {
  const { rows } = await sql.query<{ id: string }>('SELECT id::text AS id FROM installation ORDER BY created_at LIMIT 1');
  return rows[0]!.id;
}
