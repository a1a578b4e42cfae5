import type { PatchFormat } from '@slipway/contracts';
import type { Sql } from '@slipway/event-log';
import { ALL_OBJECTS, type BaseEntry, type ConfigModel } from '../materialize/model';
import { EVERY_OBJECT, namesParam, type Affected } from './affected';
import { latestPerObject } from './latest-per-object';

/**
 * Which live patches to load with part of the model: those that reach its objects with
 * the bindings as stored, or every one — for a change about to bind new labels, whose
 * patches the stored bindings do not lead to yet.
 */
export type PatchSelection = 'reaching' | 'every';

/**
 * The materialization inputs of some objects (all by default), from the read models
 * (unqualified: the search_path decides): their current bases, their label bindings,
 * and the live patches in version order.
 */
export async function loadModel(sql: Sql, objects: Affected = EVERY_OBJECT, patchSelection: PatchSelection = 'reaching'): Promise<ConfigModel> {
  const names = namesParam(objects);
  const bases = await sql.query<{ object_name: string; kind: string; api_version: string; release_version: string; config: string }>(
    `SELECT * FROM ${latestPerObject('base_configs', 'object_name, kind, api_version, release_version, config', '$1::text[]')} latest ORDER BY object_name`, [names],
  );
  const patches = await sql.query<{ version: number; target: string; format: PatchFormat; kind: string | null; patch: string }>(
    `SELECT version, target, format, kind, patch FROM patches
     WHERE NOT deleted AND ($1::text[] IS NULL OR target = $2 OR target = ANY($1::text[])
       OR target IN (SELECT label FROM label_bindings WHERE object_name = ANY($1::text[])))
     ORDER BY version`, [patchSelection === 'every' ? null : names, ALL_OBJECTS],
  );
  const bindings = await sql.query<{ label: string; object_name: string }>(
    'SELECT label, object_name FROM label_bindings WHERE $1::text[] IS NULL OR object_name = ANY($1::text[])', [names],
  );
  const labels = new Map<string, Set<string>>();
  for (const row of bindings.rows) {
    if (!labels.has(row.object_name)) labels.set(row.object_name, new Set());
    labels.get(row.object_name)!.add(row.label);
  }
  return {
    bases: new Map(bases.rows.map((r): [string, BaseEntry] => [r.object_name, {
      objectName: r.object_name, kind: r.kind, apiVersion: r.api_version, releaseVersion: r.release_version, config: r.config,
    }])),
    patches: patches.rows.map((r) => ({ version: Number(r.version), target: r.target, format: r.format, kind: r.kind, patch: r.patch })),
    labels,
  };
}

/**
 * The advisory lock every config-store write holds (and a repair of its projection), so
 * materialization always sees every earlier write (config-command.ts takes it).
 */
export const CONFIG_STORE_LOCK = 'slipway-config-store';
