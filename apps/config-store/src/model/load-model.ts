import type { PatchFormat } from '@slipway/contracts';
import type { Sql } from '@slipway/event-log';
import type { BaseEntry, ConfigModel } from '../materialize/model';

/** The materialization inputs, from the read models (unqualified: the search_path decides). */
export async function loadModel(sql: Sql): Promise<ConfigModel> {
  const bases = await sql.query<{ object_name: string; kind: string; api_version: string; release_version: string; config: string }>(
    `SELECT DISTINCT ON (object_name) object_name, kind, api_version, release_version, config
     FROM base_configs ORDER BY object_name, seq DESC`,
  );
  const patches = await sql.query<{ version: number; target: string; format: PatchFormat; kind: string | null; patch: string }>(
    'SELECT version, target, format, kind, patch FROM patches WHERE NOT deleted ORDER BY version',
  );
  const bindings = await sql.query<{ label: string; object_name: string }>('SELECT label, object_name FROM label_bindings');
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

/** Serialises config-store writes, so materialization always sees every earlier write. */
export async function lockConfigStore(sql: Sql): Promise<void> {
  await sql.query("SELECT pg_advisory_xact_lock(hashtext('slipway-config-store'))");
}
