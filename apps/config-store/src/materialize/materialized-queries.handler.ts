import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { ConfigAroundPatch, DomainError, GetMaterialized, ListMaterialized, ListMaterializedNames, quoted, type MaterializedView, type QueryEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { named } from '../model/affected';
import { latestPerObject } from '../model/latest-per-object';
import { loadModel } from '../model/load-model';
import { goldenCaughtUp } from './golden.projection';
import { materialize, metadataOf } from './materialize';
import { targets } from './model';

interface Row { object_name: string; seq: number; release_version: string; patch_version: number | null; previous_release_version: string | null; previous_patch_version: number | null; kind: string; config: string; timestamp_ms: number; golden: boolean }

/**
 * Golden = the latest config is the one the deployer last applied (golden_configs): its very
 * materialized version where the deployer recorded which, else its (release, patch). By name
 * in byte order (COLLATE "C"), whatever the database's locale: the deployer lists what a push
 * applied in this order, from answers read apart. The latest of each object is found in the
 * primary key (latestPerObject), and only those rows are sorted by bytes after.
 */
const latest = (names = 'NULL::text[]') => `SELECT m.object_name, m.seq, m.release_version, m.patch_version, m.previous_release_version, m.previous_patch_version,
    m.kind, m.config, m.timestamp_ms, (g.object_name IS NOT NULL AND g.release_version = m.release_version AND g.patch_version = COALESCE(m.patch_version, 0)
      AND (g.materialized_seq IS NULL OR g.materialized_seq = m.seq)) AS golden
    FROM ${latestPerObject('materialized_configs', '*', names)} m LEFT JOIN golden_configs g ON g.object_name = m.object_name
    ORDER BY m.object_name COLLATE "C"`;

function toView(r: Row): MaterializedView {
  return {
    objectName: r.object_name, releaseVersion: r.release_version, patchVersion: r.patch_version === null ? 0 : Number(r.patch_version),
    previousReleaseVersion: r.previous_release_version ?? '', previousPatchVersion: r.previous_patch_version === null ? 0 : Number(r.previous_patch_version),
    state: r.golden ? 'IS_GOLDEN' : 'NOT_GOLDEN', config: r.config, metadata: metadataOf(r.kind), timestampMS: Number(r.timestamp_ms),
    materializedSeq: Number(r.seq),
  };
}

@Controller()
export class MaterializedQueriesHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(ListMaterialized.subject)
  async list(@Payload() envelope: QueryEnvelope): Promise<MaterializedView[]> {
    const { objects } = parseQuery(ListMaterialized, envelope);
    await goldenCaughtUp(this.db);
    const { rows } = objects ? await this.db.query<Row>(latest('$1::text[]'), [objects]) : await this.db.query<Row>(latest());
    return rows.map(toView);
  }

  @MessagePattern(ListMaterializedNames.subject)
  async names(@Payload() envelope: QueryEnvelope): Promise<string[]> {
    parseQuery(ListMaterializedNames, envelope);
    const { rows } = await this.db.query<{ object_name: string }>(
      `SELECT object_name COLLATE "C" AS object_name FROM ${latestPerObject('materialized_configs', 'object_name', 'NULL::text[]')} latest ORDER BY 1`,
    );
    return rows.map((r) => r.object_name);
  }

  @MessagePattern(GetMaterialized.subject)
  async get(@Payload() envelope: QueryEnvelope): Promise<MaterializedView> {
    const { object } = parseQuery(GetMaterialized, envelope);
    await goldenCaughtUp(this.db);
    const { rows } = await this.db.query<Row>(latest('ARRAY[$1::text]'), [object]);
    if (!rows[0]) throw new DomainError('not-found', `object ${quoted(object)} has no materialized config`, 'object');
    return toView(rows[0]);
  }

  /** The object's config with the patches before a version, and with that version too. */
  @MessagePattern(ConfigAroundPatch.subject)
  async around(@Payload() envelope: QueryEnvelope) {
    const { object, version } = parseQuery(ConfigAroundPatch, envelope);
    // The object's inputs only (its base, its bindings, the patches that reach it): not the
    // whole store's, which every such read would otherwise hold in memory at once.
    const model = await loadModel(this.db, named([object]));
    const base = model.bases.get(object);
    if (!base) throw new DomainError('not-found', `object ${quoted(object)} has no base config`, 'object');
    const patch = model.patches.find((p) => p.version === version);
    if (!patch && !(await livePatch(this.db, version))) throw new DomainError('not-found', `patch version ${version} not found`, 'version');
    const labels = model.labels.get(object);
    // Before and after a patch that never reached the object would read the same, as if it had.
    if (!patch || !targets(patch, base, labels)) throw new DomainError('not-found', `patch version ${version} does not apply to object ${quoted(object)}`, 'version');
    const prev = materialize(base, model.patches.filter((p) => p.version < version), labels);
    const next = materialize(base, model.patches.filter((p) => p.version <= version), labels);
    return { prevConfig: prev.config, newConfig: next.config };
  }
}

async function livePatch(db: Pool, version: number): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM patches WHERE version = $1 AND NOT deleted', [version]);
  return (rowCount ?? 0) > 0;
}
