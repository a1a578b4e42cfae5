import type { Sql } from '@slipway/event-log';
import { ALL_OBJECTS } from '../materialize/model';
import { EVERY_OBJECT, NO_OBJECT, type Affected } from './affected';

/**
 * The objects patch targets can reach with the bindings as they are now: the object of
 * each name and the objects bound to each label ('*' reaches every object). Kind and
 * format filters are left to materialization: reaching more is only slower.
 */
export async function reachedBy(sql: Sql, targets: readonly string[]): Promise<Affected> {
  if (targets.includes(ALL_OBJECTS)) return EVERY_OBJECT;
  if (targets.length === 0) return NO_OBJECT;
  const { rows } = await sql.query<{ object_name: string }>(
    `SELECT object_name FROM base_configs WHERE object_name = ANY($1::text[])
     UNION SELECT object_name FROM label_bindings WHERE label = ANY($1::text[])`, [targets],
  );
  return new Set(rows.map((r) => r.object_name));
}

/** The objects stored patches (live or deleted) reach, by version. */
export async function reachedByPatches(sql: Sql, versions: readonly number[]): Promise<Affected> {
  const { rows } = await sql.query<{ target: string }>('SELECT DISTINCT target FROM patches WHERE version = ANY($1::bigint[])', [versions]);
  return reachedBy(sql, rows.map((r) => r.target));
}

/**
 * Binding every object to the label named after its kind (default labels) changes the
 * materialization of an object only when a live patch targets that label.
 */
export async function objectsOfPatchedKinds(sql: Sql): Promise<Affected> {
  const { rows } = await sql.query<{ object_name: string }>(
    'SELECT DISTINCT object_name FROM base_configs WHERE kind IN (SELECT target FROM patches WHERE NOT deleted)',
  );
  return new Set(rows.map((r) => r.object_name));
}
