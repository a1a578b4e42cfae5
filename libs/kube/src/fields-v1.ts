/**
 * Field sets as managed fields hold them (FieldsV1): a tree whose keys name a map's field
 * (`f:name`), a list element by its key fields (`k:{"name":"web"}`), a set's value
 * (`v:"a"`) or a position (`i:0`); `.` marks the node itself owned, and an empty node is a
 * field owned whole.
 */
export type FieldSet = Record<string, unknown>;

/** Path of FieldsV1 keys from the object's root. */
export type FieldPath = readonly string[];

export const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Two field sets as one. */
export function unionOf(a: FieldSet, b: FieldSet): FieldSet {
  const union: FieldSet = { ...a };
  for (const [key, value] of Object.entries(b)) union[key] = isMap(union[key]) && isMap(value) ? unionOf(union[key], value) : value;
  return union;
}

const ABSENT = Symbol('absent');
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return ABSENT;
  }
}

/** The value one FieldsV1 key names inside `value`; a null is a field left unset. */
function stepInto(value: unknown, key: string): unknown {
  const [kind, rest] = [key.slice(0, 2), key.slice(2)];
  if (kind === 'f:') return isMap(value) && Object.hasOwn(value, rest) && value[rest] !== null ? value[rest] : ABSENT;
  if (!Array.isArray(value)) return ABSENT;
  if (kind === 'i:') return /^\d+$/.test(rest) && Number(rest) < value.length ? value[Number(rest)] : ABSENT;
  const wanted = parsed(rest);
  if (wanted === ABSENT) return ABSENT;
  if (kind === 'v:') return value.some((element) => same(element, wanted)) ? wanted : ABSENT;
  if (kind !== 'k:' || !isMap(wanted)) return ABSENT;
  const found = value.find((element) => isMap(element) && Object.entries(wanted).every(([field, keyValue]) => same(element[field], keyValue)));
  return found === undefined ? ABSENT : found;
}

/** Whether `object` holds the field `path` names (not as null). */
export function holds(object: unknown, path: FieldPath): boolean {
  let at: unknown = object;
  for (const key of path) {
    at = stepInto(at, key);
    if (at === ABSENT) return false;
  }
  return true;
}

/** Whether a field set owns the field `path` names, or a field holding it whole. */
export function owns(set: FieldSet, path: FieldPath): boolean {
  let at: unknown = set;
  for (const key of path) {
    if (!isMap(at)) return false;
    if (Object.keys(at).length === 0) return at !== set;
    at = at[key];
  }
  return isMap(at);
}

/**
 * A field set cut in two: the subtrees at the fields `take` picks (tried from the root down,
 * with the set below each; a field picked takes all below it) and what is left. A node left
 * with nothing below it is dropped, not kept empty: an empty node would own the field whole.
 */
export function splitFields(set: FieldSet, take: (path: FieldPath, below: unknown) => boolean, path: FieldPath = []): { kept: FieldSet; taken: FieldSet } {
  const kept: FieldSet = {};
  const taken: FieldSet = {};
  for (const [key, below] of Object.entries(set)) {
    if (key === '.') {
      kept[key] = below;
      continue;
    }
    const at = [...path, key];
    if (take(at, below)) {
      taken[key] = below;
      continue;
    }
    if (!isMap(below) || Object.keys(below).length === 0) {
      kept[key] = below;
      continue;
    }
    const split = splitFields(below, take, at);
    if (Object.keys(split.taken).length > 0) taken[key] = split.taken;
    if (Object.keys(split.kept).length > 0) kept[key] = split.kept;
  }
  return { kept, taken };
}

/** The field set naming one field. */
export function fieldSetOf(path: FieldPath): FieldSet {
  return path.reduceRight<FieldSet>((below, key) => ({ [key]: below }), {});
}

/** The paths of the fields an object sets through maps alone (a list or a scalar is a field whole), nulls left out. */
export function mapFieldPaths(object: unknown, path: FieldPath = []): FieldPath[] {
  if (!isMap(object)) return [];
  return Object.entries(object).flatMap(([name, value]) => {
    if (value === null) return [];
    const at = [...path, `f:${name}`];
    return isMap(value) && Object.keys(value).length > 0 ? mapFieldPaths(value, at) : [at];
  });
}

/** `spec.replicas`: an autoscaler's to set once a config leaves it out, never taken over to be removed. */
export const isReplicas = (path: FieldPath): boolean => path.length === 2 && path[0] === 'f:spec' && path[1] === 'f:replicas';
