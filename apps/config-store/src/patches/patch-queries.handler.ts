import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { DryRunPatches, ListPatches, SearchPatches, type DryRunEntry, type PatchView, type QueryEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { goldenCaughtUp } from '../materialize/golden.projection';
import { targets } from '../materialize/model';
import { named } from '../model/affected';
import { loadModel } from '../model/load-model';
import { reachesSecret } from '../model/objects-reached';
import { parsePatches } from '../parsing/parse-patches';
import { dryRun } from './dry-run';
import { GOLDEN_UP_TO } from './patch-golden';

interface PatchRow {
  version: number; next_version: number | null; target: string; format: string; kind: string | null; patch: string; description: string; created_by: string;
  golden: boolean; secret_values: boolean;
}

/**
 * Live patches with the version of the live patch after each (a deleted one is no next
 * patch: a client following the chain would find nothing there), whether each is part of
 * a config the cluster runs (patch-golden.ts), and whether it applies to a Secret.
 */
const PATCHES = `WITH live AS (
  SELECT version, lead(version) OVER (ORDER BY version) AS next_version, target, format, kind, patch, description, created_by FROM patches WHERE NOT deleted
), reach AS MATERIALIZED (  -- once per target: inlined, Postgres asked it again for every patch listed
  SELECT t.target, t.kind, ${GOLDEN_UP_TO} AS golden_up_to, (t.kind = 'Secret' OR (t.kind IS NULL AND ${reachesSecret('t.target')})) AS secret_values
  FROM (SELECT DISTINCT target, kind FROM live) t
)
SELECT p.*, COALESCE(p.version <= r.golden_up_to, false) AS golden, r.secret_values
FROM live p JOIN reach r ON r.target = p.target AND r.kind IS NOT DISTINCT FROM p.kind WHERE true`;

function toView(row: PatchRow): PatchView {
  return {
    version: Number(row.version), nextVersion: row.next_version === null ? null : Number(row.next_version), target: row.target, patch: row.patch,
    metadata: JSON.stringify({ type: row.kind ?? '', isEncrypted: false, format: row.format, createdBy: row.created_by }),
    description: row.description, golden: row.golden, secretValues: row.secret_values,
  };
}

@Controller()
export class PatchQueriesHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  /**
   * All patches, or those that reach an object — by its name, a label bound to it, or every
   * object — and apply to it as materialization judges (`targets`: a patch declared for
   * another kind, or a rewrite with nothing to change in it, does not).
   */
  @MessagePattern(ListPatches.subject)
  async list(@Payload() envelope: QueryEnvelope): Promise<PatchView[]> {
    const { object } = parseQuery(ListPatches, envelope);
    await goldenCaughtUp(this.db);
    const { rows } = await this.db.query<PatchRow>(
      `${PATCHES} AND ($1::text IS NULL OR p.target = $1 OR p.target = '*'
         OR p.target IN (SELECT label FROM label_bindings WHERE object_name = $1))
       ORDER BY p.version`, [object ?? null],
    );
    if (object === undefined) return rows.map(toView);
    const model = await loadModel(this.db, named([object]));
    const base = model.bases.get(object);
    // An object with no base yet: the patches naming it are all there is to show.
    if (!base) return rows.map(toView);
    const applying = new Set(model.patches.filter((patch) => targets(patch, base, model.labels.get(object))).map((patch) => patch.version));
    // The next patch of this list: one that does not apply here is not the object's next.
    const listed = rows.filter((row) => applying.has(Number(row.version)));
    return listed.map((row, i) => toView({ ...row, next_version: listed[i + 1]?.version ?? null }));
  }

  @MessagePattern(SearchPatches.subject)
  async search(@Payload() envelope: QueryEnvelope): Promise<PatchView[]> {
    const { query, caseSensitive, limit } = parseQuery(SearchPatches, envelope);
    await goldenCaughtUp(this.db);
    const { rows } = await this.db.query<PatchRow>(
      `${PATCHES} AND (CASE WHEN $2 THEN strpos(p.patch || E'\\n' || p.description || E'\\n' || p.target, $1) > 0
         ELSE strpos(lower(p.patch || E'\\n' || p.description || E'\\n' || p.target), lower($1)) > 0 END)
       ORDER BY p.version LIMIT $3`, [query, caseSensitive, limit],
    );
    return rows.map(toView);
  }

  @MessagePattern(DryRunPatches.subject)
  async dryRun(@Payload() envelope: QueryEnvelope): Promise<DryRunEntry[]> {
    const { text } = parseQuery(DryRunPatches, envelope);
    return dryRun(await loadModel(this.db), parsePatches(text), Date.now());
  }
}
