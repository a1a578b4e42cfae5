import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { DryRunPatches, ListPatches, mayPatchSecret, SearchPatches, type DryRunEntry, type PatchView, type QueryEnvelope } from '@slipway/contracts';
import { AtMostAtOnce, DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { goldenCaughtUp } from '../materialize/golden.projection';
import { targets } from '../materialize/model';
import { named } from '../model/affected';
import { loadModel } from '../model/load-model';
import { readPatches } from '../parsing/read-off-loop';
import { dryRun } from './dry-run';
import { TARGETS_REACH } from './patch-golden';

interface PatchRow {
  version: number; next_version: number | null; target: string; format: string; kind: string | null; patch: string; description: string; description_shown: string | null; created_by: string;
  golden: boolean;
}

/**
 * The live patches `filter` (over `p`) keeps, in version order (`page` may cut them), each
 * with the version of the live patch after it (a deleted one is no next patch: a client
 * following the chain would find nothing there), whether it is part of a config the cluster
 * runs (patch-golden.ts), and whether its text is read as a Secret's: one that says
 * `kind: Secret`, or names no kind (mayPatchSecret: as sealing and the audit API read it).
 * Not "reaches a Secret now": a label unbound (by any `submit` token) or bound later would
 * have shown a value once pushed into a Secret. Golden is asked once per target
 * (and kind) of the patches listed, by joins over the objects each target reaches: asked per
 * patch, ten thousand patches of one target took 1.7 s; asked of every target, listing one
 * object's patches among three thousand objects' took 20 s.
 */
function patchesSql(filter: string, page = ''): string {
  return `WITH live AS (
  SELECT version, lead(version) OVER (ORDER BY version) AS next_version, target, format, kind, patch, description, description_shown, created_by FROM patches WHERE NOT deleted
), listed AS MATERIALIZED (
  SELECT * FROM live p WHERE ${filter} ORDER BY p.version ${page}
), ${TARGETS_REACH}
SELECT p.*, COALESCE(p.version <= g.up_to, false) AS golden
FROM listed p
LEFT JOIN golden_up_to g ON g.target = p.target AND g.kind IS NOT DISTINCT FROM p.kind
ORDER BY p.version`;
}

/** What a search reads of a patch: its text, description and target, a line apart. */
const SEARCHED = `(p.patch || E'\\n' || p.description || E'\\n' || p.target)`;
const searchedText = (row: PatchRow): string => `${row.patch}\n${row.description}\n${row.target}`;

function toView(row: PatchRow): PatchView {
  return {
    version: Number(row.version), nextVersion: row.next_version === null ? null : Number(row.next_version), target: row.target, patch: row.patch,
    metadata: JSON.stringify({ type: row.kind ?? '', isEncrypted: false, format: row.format, createdBy: row.created_by }),
    description: row.description, ...(row.description_shown === null ? {} : { descriptionShown: row.description_shown }), golden: row.golden, secretValues: mayPatchSecret(row),
  };
}

/**
 * Dry runs a process takes at once. Each holds the whole store's model (a patch of `*`
 * reaches every object) and its text, up to 4 MiB; queries are not queued by JetStream as
 * commands are, so without a bound as many would be held as clients send.
 */
export const DRY_RUNS_AT_ONCE = 4;

@Controller()
export class PatchQueriesHandler {
  private readonly dryRuns = new AtMostAtOnce(DRY_RUNS_AT_ONCE, (most) => `the config-store is dry-running ${most} patch texts already; retry shortly`);

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
      patchesSql(`($1::text IS NULL OR p.target = $1 OR p.target = '*'
         OR p.target IN (SELECT label FROM label_bindings WHERE object_name = $1))`), [object ?? null],
    );
    if (object === undefined) return rows.map(toView);
    const model = await loadModel(this.db, named([object]));
    const base = model.bases.get(object);
    // An object with no base yet: the patches naming it are all there is to show, each
    // followed by the next of them (not by the next of all patches).
    if (!base) return rows.map((row, i) => toView({ ...row, next_version: rows[i + 1]?.version ?? null }));
    const applying = new Set(model.patches.filter((patch) => targets(patch, base, model.labels.get(object))).map((patch) => patch.version));
    // The next patch of this list: one that does not apply here is not the object's next.
    const listed = rows.filter((row) => applying.has(Number(row.version)));
    return listed.map((row, i) => toView({ ...row, next_version: listed[i + 1]?.version ?? null }));
  }

  @MessagePattern(SearchPatches.subject)
  async search(@Payload() envelope: QueryEnvelope): Promise<PatchView[]> {
    const { query, caseSensitive, limit } = parseQuery(SearchPatches, envelope);
    await goldenCaughtUp(this.db);
    if (caseSensitive) {
      const { rows } = await this.db.query<PatchRow>(patchesSql(`strpos(${SEARCHED}, $1) > 0`, 'LIMIT $2'), [query, limit]);
      return rows.map(toView);
    }
    // Postgres's lower() folds as the database's collation says, only A to Z under C (the
    // embedded one's): "écol" found no "ÉCOLE". Folded here as JavaScript folds any letter, as
    // the gateway folds what it shows a reader: a text of ASCII alone folds the same in both,
    // so Postgres keeps it only if it holds the query; any other text is judged here.
    const folded = query.toLowerCase();
    const { rows } = await this.db.query<PatchRow>(patchesSql(`(strpos(lower(${SEARCHED}), $1) > 0 OR ${SEARCHED} ~ '[^\\x01-\\x7f]')`), [folded]);
    return rows.filter((row) => searchedText(row).toLowerCase().includes(folded)).slice(0, limit).map(toView);
  }

  @MessagePattern(DryRunPatches.subject)
  async dryRun(@Payload() envelope: QueryEnvelope): Promise<DryRunEntry[]> {
    const { text } = parseQuery(DryRunPatches, envelope);
    // What the apply would refuse, the dry run does too: parsePatches refuses it for both.
    return this.dryRuns.run(async () => dryRun(await loadModel(this.db), await readPatches(text), Date.now()));
  }
}
