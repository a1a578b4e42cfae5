import { childPath, deepClone, isJsonObject, type JsonValue } from './json';
import { assertSafeKey } from './safe-keys';

/**
 * RFC 7386 JSON merge patch: maps merge, `null` removes a key, everything else (lists
 * included) is replaced by the patch. Neither input is mutated.
 */
export function jsonMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  return mergeInto(target === undefined ? undefined : deepClone(target), patch, '');
}

function mergeInto(target: JsonValue | undefined, patch: JsonValue, path: string): JsonValue {
  if (!isJsonObject(patch)) return deepClone(patch);
  const result = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    const keyPath = childPath(path, key);
    assertSafeKey(key, keyPath);
    if (value === null) delete result[key];
    else result[key] = mergeInto(Object.hasOwn(result, key) ? result[key] : undefined, value, keyPath);
  }
  return result;
}
