import {
  DELETED, DELETE_FROM_PRIMITIVE_LIST, type Deleted, isDirectiveKey, patchDirective,
  SET_ELEMENT_ORDER, withoutPatchDirective,
} from './directives';
import { MaterializerError } from './errors';
import { childPath, isJsonObject, type JsonObject, type JsonValue } from './json';
import { fieldSchema, type TypeName } from './merge-keys';
import { mergeValue } from './merge-value';
import { deleteFromPrimitiveList } from './primitive-list';
import { applyRetainKeys } from './retain-keys';
import { assertSafeKey } from './safe-keys';
import { setElementOrder } from './element-order';

/**
 * Merges a patch map into a base map. Existing keys keep their place; new keys are
 * appended in sorted order, as kustomize's walker visits them.
 */
export function mergeObject(
  base: JsonValue | undefined, patch: JsonObject, type: TypeName | undefined, path: string,
): JsonObject | Deleted {
  const directive = patchDirective(patch, path);
  if (directive !== undefined && base !== undefined && base !== null && !isJsonObject(base)) {
    throw new MaterializerError('directive-on-scalar',
      `$patch: ${directive} at ${path || '/'} aims at ${Array.isArray(base) ? 'a list' : `a ${typeof base}`}, not a map`,
      path);
  }
  if (directive === 'delete') return DELETED;
  if (directive === 'replace') return mergeObject(undefined, withoutPatchDirective(patch), type, path);

  const result: JsonObject = isJsonObject(base) ? base : {};
  applyRetainKeys(result, patch, path);
  const listsBefore: Record<string, JsonValue | undefined> = {};
  for (const key of Object.keys(patch).sort()) {
    const keyPath = childPath(path, key);
    assertSafeKey(key, keyPath);
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deleteFromPrimitiveList(result, key.slice(DELETE_FROM_PRIMITIVE_LIST.length), patch[key], keyPath);
    } else if (key.startsWith(SET_ELEMENT_ORDER)) {
      const field = key.slice(SET_ELEMENT_ORDER.length);
      listsBefore[field] = Object.hasOwn(result, field) ? result[field] : undefined;
    }
  }
  for (const key of Object.keys(patch).sort()) {
    if (isDirectiveKey(key)) continue;
    const keyPath = childPath(path, key);
    const merged = mergeValue(
      Object.hasOwn(result, key) ? result[key] : undefined, patch[key], fieldSchema(type, key), keyPath);
    if (merged === DELETED) delete result[key];
    else result[key] = merged;
  }
  for (const [field, before] of Object.entries(listsBefore)) {
    const order = patch[`${SET_ELEMENT_ORDER}${field}`];
    const keys = fieldSchema(type, field)?.merge ?? [];
    const patchList = Object.hasOwn(patch, field) ? patch[field] : undefined;
    setElementOrder(result, field, { order, keys, before, patchList }, childPath(path, `${SET_ELEMENT_ORDER}${field}`));
  }
  return result;
}
