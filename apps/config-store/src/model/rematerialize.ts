import type { PoolClient } from 'pg';
import { materializeAll } from '../materialize/materialize';
import { EVERY_OBJECT, isNoObject, namesParam, type Affected } from './affected';
import { loadModel } from './load-model';

export interface RematerializeStats {
  /** How many objects were materialized. */
  materialized: number;
  /** The objects that got a new version, by name. */
  recorded: string[];
}

/**
 * Materializes the affected objects (every object by default) from the read models and
 * records a new version for each whose config, release or patch version changed,
 * pointing at the one before it. Objects outside `affected` are left as they are: the
 * caller vouches that their inputs did not change.
 */
export async function rematerialize(tx: PoolClient, timestampMs: number, affected: Affected = EVERY_OBJECT): Promise<RematerializeStats> {
  if (isNoObject(affected)) return { materialized: 0, recorded: [] };
  const current = materializeAll(await loadModel(tx, affected));
  const { rows } = await tx.query<{ object_name: string; seq: number; release_version: string; patch_version: number | null; config: string }>(
    `SELECT DISTINCT ON (object_name) object_name, seq, release_version, patch_version, config
     FROM materialized_configs WHERE $1::text[] IS NULL OR object_name = ANY($1::text[]) ORDER BY object_name, seq DESC`,
    [namesParam(affected)],
  );
  const latest = new Map(rows.map((r) => [r.object_name, r]));
  const inserts = [...current.values()].flatMap((m) => {
    const old = latest.get(m.objectName);
    const same = old && old.config === m.config && old.release_version === m.releaseVersion && (old.patch_version === null ? null : Number(old.patch_version)) === m.patchVersion;
    if (same) return [];
    return [{
      object_name: m.objectName, seq: (old?.seq ?? 0) + 1, release_version: m.releaseVersion, patch_version: m.patchVersion,
      previous_release_version: old?.release_version ?? null, previous_patch_version: old ? old.patch_version : null,
      kind: m.kind, config: m.config, skipped: m.skipped, timestamp_ms: timestampMs,
    }];
  });
  if (inserts.length > 0) {
    await tx.query(
      `INSERT INTO materialized_configs (object_name, seq, release_version, patch_version, previous_release_version, previous_patch_version, kind, config, skipped, timestamp_ms)
       SELECT object_name, seq, release_version, patch_version, previous_release_version, previous_patch_version, kind, config, skipped, timestamp_ms
       FROM jsonb_to_recordset($1::jsonb) AS r(object_name text, seq int, release_version text, patch_version bigint,
         previous_release_version text, previous_patch_version bigint, kind text, config text, skipped jsonb, timestamp_ms bigint)`,
      [JSON.stringify(inserts)],
    );
  }
  return { materialized: current.size, recorded: inserts.map((i) => i.object_name) };
}
