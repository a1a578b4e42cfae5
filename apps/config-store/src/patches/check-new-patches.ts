import type { PoolClient } from 'pg';
import { previewChange, type Preview } from '../model/config-command';
import { reachedBy } from '../model/objects-reached';
import type { ParsedPatch } from '../parsing/parse-patches';
import { nextVersions } from './patch-versions';

/** Materializes with the new patches added: which objects change, and whether any patch misfits. */
export async function checkNewPatches(tx: PoolClient, patches: ParsedPatch[], issuedAt: string): Promise<Preview> {
  const { rows } = await tx.query<{ last: number | null }>('SELECT max(version) AS last FROM patches');
  const versions = nextVersions(Number(rows[0]?.last ?? 0), issuedAt, patches.length);
  const entries = patches.map((p, i) => ({ ...p, version: versions[i]! }));
  return previewChange(tx, await reachedBy(tx, patches.map((p) => p.target)), (model) => ({ ...model, patches: [...model.patches, ...entries] }), new Set(versions));
}
