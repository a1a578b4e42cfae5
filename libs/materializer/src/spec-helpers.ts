import { parse } from 'yaml';
import type { JsonObject, JsonValue } from './json';
import { strategicMergeAll } from './strategic-merge';

/** Test helper: YAML in, JSON values out, so cases read like the manifests they model. */
export function yaml(text: string): JsonObject {
  return parse(text) as JsonObject;
}

/** given(base YAML).whenPatched(patch YAML, ...) → the merged object (or null if deleted). */
export function given(baseYaml: string) {
  const base = yaml(baseYaml);
  return {
    base,
    whenPatched: (...patches: string[]) => strategicMergeAll(base, patches.map(yaml)),
  };
}

/** Reads a nested value by field names and list indexes. */
export function at(value: JsonValue | null | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let current: JsonValue | undefined = value ?? undefined;
  for (const segment of path) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, JsonValue>)[segment];
  }
  return current;
}

export function names(list: JsonValue | undefined, key = 'name'): JsonValue[] {
  return (list as JsonObject[]).map((item) => item[key]);
}
