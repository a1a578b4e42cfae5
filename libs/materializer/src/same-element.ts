import { isJsonObject, type JsonValue } from './json';
import type { FieldSchema } from './merge-keys';

/**
 * Whether a base element and a patch element are the same list entry. The first key must
 * be present on both and equal. A further list-map key left out on either side matches any
 * value, as kubectl matches by the merge key alone; `withDefaults`, one the API server
 * defaults reads as its default instead (a port's `protocol` is TCP), as server-side apply
 * reads the object Slipway pushes: `{port: 53}` is then the TCP port 53, not the UDP one.
 * Values compare as text, as in YAML.
 */
export function sameElement(item: JsonValue, element: JsonValue, field: FieldSchema, withDefaults = false): boolean {
  if (!isJsonObject(item) || !isJsonObject(element)) return false;
  const keys = field.merge ?? [];
  return keys.every((key, index) => {
    const fallback = withDefaults && index > 0 ? field.keyDefaults?.[key] : undefined;
    const left = keyValue(item, key) ?? fallback;
    const right = keyValue(element, key) ?? fallback;
    if (left === undefined || right === undefined) return index > 0;
    return String(left) === String(right);
  });
}

function keyValue(item: Record<string, JsonValue>, key: string): JsonValue | undefined {
  return Object.hasOwn(item, key) && item[key] !== null ? item[key] : undefined;
}

/** The first merge key's value as sameElement compares it; `undefined` where it matches nothing. */
export function primaryKeyOf(item: JsonValue, keys: readonly string[]): string | undefined {
  if (!isJsonObject(item) || keys.length === 0) return undefined;
  const value = keyValue(item, keys[0]);
  return value === undefined ? undefined : String(value);
}

/** The identity used to order elements: the primary merge key, or the value itself. */
export function elementId(item: JsonValue, keys: readonly string[]): string | undefined {
  if (keys.length === 0) return JSON.stringify(item);
  if (!isJsonObject(item) || !Object.hasOwn(item, keys[0])) return undefined;
  return String(item[keys[0]]);
}
