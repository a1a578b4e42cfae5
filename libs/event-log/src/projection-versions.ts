import type { Pool } from 'pg';
import { keepServerSideAlive, onClient, type Sql } from './database';
import { literal } from './literal-sql';
import type { Projection } from './projection';
import { rebuildLive, type RepairReport } from './rebuild';

export interface VersionedRebuild { projection: string; from: number | null; to: number; repaired: boolean }

/**
 * Repairs (rebuildLive) each versioned projection whose live tables were built with
 * an older version of its rules, or with none recorded, and records the version; refuses
 * (NewerProjectionVersion) where a newer version built them, as migrate does a newer schema. Services
 * run it as they start, so an upgrade that changes what a projection computes needs no
 * step by hand; instances starting together take turns on an advisory lock, and the
 * later ones find the version recorded.
 */
export async function bringProjectionsUpToDate(pool: Pool, schema: string, projections: Projection[]): Promise<VersionedRebuild[]> {
  const versioned = projections.filter((p): p is Projection & { version: number } => p.version !== undefined);
  if (versioned.length === 0) return [];
  return onClient(pool, async (session) => {
    // Held while the repairs run on other connections: were this host lost, the server would keep it for hours.
    await keepServerSideAlive(session);
    await session.query("SELECT pg_advisory_lock(hashtext('slipway-projection-versions'))");
    try {
      const done: VersionedRebuild[] = [];
      for (const projection of versioned) {
        const from = (await recordedVersion(session, projection.name)) ?? null;
        if (from === projection.version) continue;
        // Refused where a newer version built the rows (repairProjection): an older service,
        // restarting while its newer peers roll out, would rebuild them with the rules they replaced.
        const { repaired } = await repairProjection(pool, schema, projection);
        done.push({ projection: projection.name, from, to: projection.version, repaired });
      }
      return done;
    } finally {
      await session.query("SELECT pg_advisory_unlock(hashtext('slipway-projection-versions'))");
    }
  });
}

/** A service whose projection's rules are older than those its live rows were built with. */
export class NewerProjectionVersion extends Error {
  constructor(projection: string, recorded: number, own: number) {
    super(`the projection "${projection}" was built by a newer version of Slipway (version ${recorded} of its rules; this one has ${own}): `
      + 'run that version; to go back for good, `npm run replay -- --repair --downgrade` with this one rebuilds it with these rules');
    this.name = 'NewerProjectionVersion';
  }
}

/**
 * Gives a projection the rows its rules rebuild from the log (rebuildLive) and records the
 * version of those rules, when it has one: its tables are now built with them, so a service
 * starting with the same rules does not rebuild again (`npm run replay -- --repair`, and
 * the services as they start).
 */
export async function repairProjection(pool: Pool, schema: string, projection: Projection, options: { downgrade?: boolean } = {}): Promise<RepairReport> {
  // Run from an older version's image by mistake, a repair would do what a service of it refuses to.
  const recorded = projection.version === undefined ? undefined : await recordedVersion(pool, projection.name);
  if (recorded !== undefined && recorded > projection.version! && !options.downgrade) throw new NewerProjectionVersion(projection.name, recorded, projection.version!);
  if (projection.version === undefined) return rebuildLive(pool, schema, projection);
  // Recorded with the rows, writers held off (their turn: takeWritersTurn), so that none
  // writes with older rules after the rows are rebuilt: an instance of the version before,
  // still running in a rolling upgrade, is refused from then on, and its command retried.
  return rebuildLive(pool, schema, projection, undefined, undefined, async (client) => {
    // Asked again holding the writers' turn: a newer version's repair may have finished while
    // this one rebuilt (a repair run by hand from an older image, say), and its rows must stay.
    const now = await recordedVersion(client, projection.name);
    if (now !== undefined && now > projection.version! && !options.downgrade) throw new NewerProjectionVersion(projection.name, now, projection.version!);
    await client.query(
      `INSERT INTO public.projection_versions (name, version) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, built_at = now()`,
      [projection.name, projection.version],
    );
  });
}

/**
 * A writer with older rules than those a projection's rows were rebuilt with: an instance
 * of the version before, still running while a newer one rolls out. Its command is retried
 * (as in an outage) until an instance of the newer version takes it.
 */
export class NewerProjectionRules extends Error {
  override readonly name = 'NewerProjectionRules';
  constructor(projection: string, recorded: number, own: number) {
    super(`the projection "${projection}" was rebuilt with newer rules (version ${recorded}) than this instance's (${own}): left to an instance of the newer version`);
  }
}

/**
 * Takes a projection's writers' turn (its `writersLock`) in the writing transaction, then
 * refuses to write with rules older than those its rows were last rebuilt with: a repair
 * records its version holding the same lock, so a writer that gets the turn after it sees it.
 */
export async function takeWritersTurn(sql: Sql, projection: Projection): Promise<void> {
  if (!projection.writersLock) throw new Error(`the projection "${projection.name}" has no writers' lock`);
  const results = (await sql.query(
    `SELECT pg_advisory_xact_lock(hashtext(${literal(projection.writersLock)}));
     SELECT version FROM public.projection_versions WHERE name = ${literal(projection.name)}`,
  )) as unknown as Array<{ rows: Array<{ version?: number }> }>;
  const recorded = results[1]?.rows[0]?.version;
  if (projection.version !== undefined && recorded !== undefined && recorded > projection.version) throw new NewerProjectionRules(projection.name, recorded, projection.version);
}

/** The version of its rules a projection's live rows were last built with, if recorded. */
async function recordedVersion(sql: Pick<Pool, 'query'>, name: string): Promise<number | undefined> {
  const { rows } = await sql.query<{ version: number }>('SELECT version FROM projection_versions WHERE name = $1', [name]);
  return rows[0]?.version;
}
