import { isJsonObject, type JsonValue } from './json';

/**
 * Whether a base element and a patch element are the same list entry. The first key must
 * be present on both and equal; further list-map keys (a port's `protocol`) must be equal
 * when both sides set them — kustomize's rule, so `{containerPort: 80}` patches the
 * `{containerPort: 80, protocol: TCP}` entry. Values compare as text, as in YAML.
 */
export function sameElement(item: JsonValue, element: JsonValue, keys: readonly string[]): boolean {
  if (!isJsonObject(item) || !isJsonObject(element)) return false;
  return keys.every((key, index) => {
    const left = Object.hasOwn(item, key) ? item[key] : undefined;
    const right = Object.hasOwn(element, key) ? element[key] : undefined;
    if (left === undefined || left === null || right === undefined || right === null) return index > 0;
    return String(left) === String(right);
  });
}

/** The identity used to order elements: the primary merge key, or the value itself. */
export function elementId(item: JsonValue, keys: readonly string[]): string | undefined {
  if (keys.length === 0) return JSON.stringify(item);
  if (!isJsonObject(item) || !Object.hasOwn(item, keys[0])) return undefined;
  return String(item[keys[0]]);
}
