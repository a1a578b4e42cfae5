import { isJsonObject, type JsonValue } from './json';

/**
 * Comparisons that ignore map key order (YAML emitters reorder keys: kustomize sorts
 * them) but not list order, which Kubernetes gives meaning to (init containers, env).
 */
export function structurallyEqual(left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  return firstDifference(left, right) === undefined;
}

/** The JSON pointer of the first place two values differ, `undefined` when equal. */
export function firstDifference(left: JsonValue | undefined, right: JsonValue | undefined, path = ''): string | undefined {
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) return path || '/';
    for (let i = 0; i < left.length; i++) {
      const found = firstDifference(left[i], right[i], `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isJsonObject(left) && isJsonObject(right)) {
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      const found = firstDifference(left[key], right[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return Object.is(left, right) ? undefined : path || '/';
}

/** A copy with every map's keys sorted, the order `kustomize build` prints them in. */
export function sortKeysDeep<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item)) as T;
  if (!isJsonObject(value)) return value;
  const sorted: Record<string, JsonValue> = {};
  for (const key of Object.keys(value).sort()) {
    if (key !== '__proto__') sorted[key] = sortKeysDeep(value[key]);
  }
  return sorted as T;
}
