/** The values a Kubernetes object (or any patch of one) is made of once parsed. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Inputs are never mutated: every function copies what it keeps. */
export function deepClone<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** Appends a segment to a JSON pointer, escaping `~` and `/` as RFC 6901 says. */
export function childPath(path: string, segment: string | number): string {
  return `${path}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
