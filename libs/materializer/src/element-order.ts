import { MaterializerError } from './errors';
import { PATCH } from './directives';
import { childPath, isJsonObject, type JsonObject, type JsonValue } from './json';
import { elementId } from './same-element';

export interface ElementOrder {
  order: JsonValue;
  keys: readonly string[];
  /** The list before the patch: server-only elements keep their relative order from it. */
  before: JsonValue | undefined;
  patchList: JsonValue | undefined;
}

/**
 * `$setElementOrder/<field>` as apimachinery applies it (normalizeElementOrder): elements
 * named in the order list are sorted by it, the others keep their base order and are
 * slotted in between where the base order puts them (mergeSortedSlice).
 */
export function setElementOrder(result: JsonObject, field: string, spec: ElementOrder, path: string): void {
  const { order, keys } = spec;
  if (!Array.isArray(order)) throw invalid(path, 'must be a list');
  const orderIds = order.map((item, index) => idOrThrow(item, keys, childPath(path, index)));
  checkPatchFollowsOrder(spec.patchList, keys, orderIds, path);
  const list = Object.hasOwn(result, field) ? result[field] : undefined;
  if (!Array.isArray(list)) return;
  const serverIds = (Array.isArray(spec.before) ? spec.before : []).map((item) => elementId(item, keys));
  const rank = (ids: (string | undefined)[], item: JsonValue) => ids.indexOf(elementId(item, keys));
  const named = list.filter((item) => rank(orderIds, item) >= 0)
    .sort((a, b) => rank(orderIds, a) - rank(orderIds, b));
  const serverOnly = list.filter((item) => rank(orderIds, item) < 0)
    .sort((a, b) => (rank(serverIds, a) >= 0 && rank(serverIds, b) >= 0 ? rank(serverIds, a) - rank(serverIds, b) : 0));
  result[field] = mergeSorted(serverOnly, named, (item) => rank(serverIds, item));
}

/** Inserts each `left` item before the first `right` item the base order puts after it. */
function mergeSorted(left: JsonValue[], right: JsonValue[], serverRank: (item: JsonValue) => number): JsonValue[] {
  const merged: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = serverRank(left[i] ?? null);
    const r = serverRank(right[j] ?? null);
    const takeLeft = j >= right.length || (i < left.length && l >= 0 && r >= 0 && l < r);
    merged.push(takeLeft ? left[i++] : right[j++]);
  }
  return merged;
}

function checkPatchFollowsOrder(patchList: JsonValue | undefined, keys: readonly string[], orderIds: string[], path: string): void {
  if (!Array.isArray(patchList)) return;
  let last = -1;
  for (const item of patchList) {
    if (isJsonObject(item) && Object.hasOwn(item, PATCH)) continue;
    const id = elementId(item, keys);
    if (id === undefined) continue;
    const position = orderIds.indexOf(id);
    if (position < 0) throw invalid(path, `does not name the patched element ${id}`);
    if (position < last) throw invalid(path, `orders the patched elements differently from the patch`);
    last = position;
  }
}

function idOrThrow(item: JsonValue, keys: readonly string[], path: string): string {
  const id = elementId(item, keys);
  if (id === undefined) throw invalid(path, `lacks the merge key "${keys[0]}"`);
  return id;
}

function invalid(path: string, reason: string): MaterializerError {
  return new MaterializerError('invalid-element-order', `$setElementOrder at ${path} ${reason}`, path);
}
