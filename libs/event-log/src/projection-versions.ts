import type { Pool } from 'pg';
import { onClient } from './database';
import type { Projection } from './projection';
import { rebuildLive } from './rebuild';

export interface VersionedRebuild { projection: string; from: number | null; to: number; repaired: boolean }

/**
 * Repairs (rebuildLive) each versioned projection whose live tables were built with
 * another version of its rules, or with none recorded, and records the version. Services
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
        const { rows } = await session.query<{ version: number }>('SELECT version FROM projection_versions WHERE name = $1', [projection.name]);
        const from = rows[0]?.version ?? null;
        if (from === projection.version) continue;
        const { repaired } = await rebuildLive(pool, schema, projection);
        await session.query(
          `INSERT INTO projection_versions (name, version) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, built_at = now()`,
          [projection.name, projection.version],
        );
        done.push({ projection: projection.name, from, to: projection.version, repaired });
      }
      return done;
    } finally {
      await session.query("SELECT pg_advisory_unlock(hashtext('slipway-projection-versions'))");
    }
  });
}
