import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { materializeAll } from '../materialize/materialize';
import { EVERY_OBJECT, isNoObject, namesParam, type Affected } from './affected';
import { latestPerObject } from './latest-per-object';
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
 * pointing at the one before it, and the digest of the base it was made from. A base
 * changed without changing the config (uploaded again as it was, or under a patch that
 * sets all it changed) makes no new version: the latest takes the new base's digest, so
 * the base reads golden where its config does. Objects outside `affected` are left as they
 * are: the caller vouches that their inputs did not change.
 */
export async function rematerialize(tx: PoolClient, timestampMs: number, affected: Affected = EVERY_OBJECT): Promise<RematerializeStats> {
  if (isNoObject(affected)) return { materialized: 0, recorded: [] };
  const model = await loadModel(tx, affected);
  const current = materializeAll(model);
  const { rows } = await tx.query<{ object_name: string; seq: number; release_version: string; patch_version: number | null; config: string; base_digest: string | null }>(
    `SELECT * FROM ${latestPerObject('materialized_configs', 'object_name, seq, release_version, patch_version, config, base_digest', '$1::text[]')} latest`,
    [namesParam(affected)],
  );
  const latest = new Map(rows.map((r) => [r.object_name, r]));
  const rebased: Array<{ object_name: string; seq: number; base_digest: string }> = [];
  const inserts = [...current.values()].flatMap((m) => {
    const old = latest.get(m.objectName);
    const baseDigest = digestOf(model.bases.get(m.objectName)!.config);
    const same = old && old.config === m.config && old.release_version === m.releaseVersion && (old.patch_version === null ? null : Number(old.patch_version)) === m.patchVersion;
    if (same) {
      if (old.base_digest !== baseDigest) rebased.push({ object_name: old.object_name, seq: old.seq, base_digest: baseDigest });
      return [];
    }
    return [{
      object_name: m.objectName, seq: (old?.seq ?? 0) + 1, release_version: m.releaseVersion, patch_version: m.patchVersion,
      previous_release_version: old?.release_version ?? null, previous_patch_version: old ? old.patch_version : null,
      kind: m.kind, config: m.config, skipped: m.skipped, timestamp_ms: timestampMs, base_digest: baseDigest,
    }];
  });
  if (inserts.length > 0) {
    await tx.query(
      `INSERT INTO materialized_configs (object_name, seq, release_version, patch_version, previous_release_version, previous_patch_version, kind, config, skipped, timestamp_ms, base_digest)
       SELECT object_name, seq, release_version, patch_version, previous_release_version, previous_patch_version, kind, config, skipped, timestamp_ms, base_digest
       FROM jsonb_to_recordset($1::jsonb) AS r(object_name text, seq int, release_version text, patch_version bigint,
         previous_release_version text, previous_patch_version bigint, kind text, config text, skipped jsonb, timestamp_ms bigint, base_digest text)`,
      [JSON.stringify(inserts)],
    );
  }
  if (rebased.length > 0) {
    await tx.query(
      `UPDATE materialized_configs m SET base_digest = r.base_digest
       FROM jsonb_to_recordset($1::jsonb) AS r(object_name text, seq int, base_digest text)
       WHERE m.object_name = r.object_name AND m.seq = r.seq`,
      [JSON.stringify(rebased)],
    );
  }
  return { materialized: current.size, recorded: inserts.map((i) => i.object_name) };
}

/** The same as Postgres's md5(text) of the base's text, which the base listing compares. */
const digestOf = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
