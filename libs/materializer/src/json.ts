/** The values a Kubernetes object (or any patch of one) is made of once parsed. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The most lists and maps a document nests, the object's own mapping the first: what parsing
 * allows (the config-store's YAML_LIMITS.maxDepth is this), and what a patch may leave. Code
 * that reads, merges and prints objects recurses, and overflows the stack from about 700 levels.
 */
export const MAX_NESTING = 128;

/** Whether a value nests more than `levels` lists and maps; walked no deeper than that (a value that contains itself ends it too). */
export function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return levels <= 0 || Object.values(value).some((member) => nestsDeeperThan(member, levels - 1));
}

/** Inputs are never mutated: every function copies what it keeps. */
export function deepClone<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** Appends a segment to a JSON pointer, escaping `~` and `/` as RFC 6901 says. */
export function childPath(path: string, segment: string | number): string {
  return `${path}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
