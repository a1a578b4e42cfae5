import { DELETED, type Deleted } from './directives';
import { isJsonObject, type JsonValue } from './json';
import { mergeList } from './merge-list';
import { mergeObject } from './merge-object';
import type { FieldSchema } from './merge-keys';

/**
 * One field of a strategic merge: `null` deletes, maps merge, lists merge by their merge
 * keys when the schema has them and are replaced otherwise, scalars are replaced.
 * Works on values the caller owns (already cloned) and may reuse them.
 */
export function mergeValue(
  base: JsonValue | undefined, patch: JsonValue, field: FieldSchema | undefined, path: string,
): JsonValue | Deleted {
  if (patch === null) return DELETED;
  if (isJsonObject(patch)) return mergeObject(base, patch, field?.type, path);
  if (Array.isArray(patch) && field?.merge) return mergeList(base, patch, field, path);
  return patch;
}
