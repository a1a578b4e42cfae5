import { PATCH, patchDirective } from './directives';
import { MaterializerError } from './errors';
import { isJsonObject, type JsonObject, type JsonValue } from './json';

/**
 * Lists of scalars with `patchStrategy: merge` (finalizers, podCIDRs) merge as sets:
 * kustomize puts the patch's values first, then the base values the patch did not name.
 * A null in the patch names nothing, as kustomize reads it.
 */
export function mergePrimitiveList(base: JsonValue[], patch: JsonValue[]): JsonValue[] {
  const seen = new Set<string>();
  const result: JsonValue[] = [];
  for (const value of [...patch.filter((value) => value !== null), ...base]) {
    const id = JSON.stringify(value);
    if (seen.has(id)) continue;
    seen.add(id);
    result.push(value);
  }
  return result;
}

/** `$deleteFromPrimitiveList/<field>: [values]` removes those values from the base list. */
export function deleteFromPrimitiveList(result: JsonObject, field: string, values: JsonValue, path: string): void {
  if (!Array.isArray(values)) {
    throw new MaterializerError('invalid-directive', `${path} must be a list of values to delete`, path);
  }
  const current = Object.hasOwn(result, field) ? result[field] : undefined;
  if (!Array.isArray(current)) return;
  const doomed = new Set(values.map((value) => JSON.stringify(value)));
  result[field] = current.filter((value) => !doomed.has(JSON.stringify(value)));
}

/**
 * A list-wide directive is an element that is exactly `{$patch: replace}` (the rest of the
 * patch list becomes the list) or `{$patch: delete}` (the list is removed), as kustomize
 * reads them. `{$patch: merge}` is the default and changes nothing; any other value is
 * refused, as kustomize and the API server refuse it (it was passed over).
 */
export function listDirective(patch: JsonValue[], path: string): 'replace' | 'delete' | undefined {
  const values = patch.filter(isListDirective).map((element) => patchDirective(element as JsonObject, path));
  if (values.includes('replace')) return 'replace';
  return values.includes('delete') ? 'delete' : undefined;
}

export function isListDirective(element: JsonValue): boolean {
  return isJsonObject(element) && Object.keys(element).length === 1 && Object.hasOwn(element, PATCH);
}
