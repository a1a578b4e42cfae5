import type { Pool } from 'pg';
import { onClient } from './database';
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
  const report = await rebuildLive(pool, schema, projection);
  if (projection.version !== undefined) {
    await pool.query(
      `INSERT INTO projection_versions (name, version) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, built_at = now()`,
      [projection.name, projection.version],
    );
  }
  return report;
}

/** The version of its rules a projection's live rows were last built with, if recorded. */
async function recordedVersion(sql: Pick<Pool, 'query'>, name: string): Promise<number | undefined> {
  const { rows } = await sql.query<{ version: number }>('SELECT version FROM projection_versions WHERE name = $1', [name]);
  return rows[0]?.version;
}
