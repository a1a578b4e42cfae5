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

/** Where an id first stands in a list, -1 when it does not. */
type Rank = (id: string | undefined) => number;

/**
 * `$setElementOrder/<field>` as apimachinery applies it (normalizeElementOrder): elements
 * named in the order list are sorted by it, the others keep their base order and are
 * slotted in between where the base order puts them (mergeSortedSlice).
 */
export function setElementOrder(result: JsonObject, field: string, spec: ElementOrder, path: string): void {
  const { order, keys } = spec;
  if (!Array.isArray(order)) throw invalid(path, 'must be a list');
  const orderRank = rankOf(order.map((item, index) => idOrThrow(item, keys, childPath(path, index))));
  checkPatchFollowsOrder(spec.patchList, keys, orderRank, path);
  const list = Object.hasOwn(result, field) ? result[field] : undefined;
  if (!Array.isArray(list)) return;
  const serverRank = rankOf((Array.isArray(spec.before) ? spec.before : []).map((item) => elementId(item, keys)));
  // Each element's ranks are read once: looked up in the comparators, a list of 45,000
  // cost a scan of the order list per comparison.
  const ranked = list.map((item) => {
    const id = elementId(item, keys);
    return { item, order: orderRank(id), server: serverRank(id) };
  });
  const named = ranked.filter((entry) => entry.order >= 0).sort((a, b) => a.order - b.order);
  const serverOnly = ranked.filter((entry) => entry.order < 0)
    .sort((a, b) => (a.server >= 0 && b.server >= 0 ? a.server - b.server : 0));
  result[field] = mergeSorted(serverOnly, named).map((entry) => entry.item);
}

/** The first position of each id, as `indexOf` finds it, in one pass. */
function rankOf(ids: readonly (string | undefined)[]): Rank {
  const first = new Map<string | undefined, number>();
  ids.forEach((id, index) => { if (!first.has(id)) first.set(id, index); });
  return (id) => first.get(id) ?? -1;
}

interface Ranked { item: JsonValue; server: number }

/** Inserts each `left` item before the first `right` item the base order puts after it. */
function mergeSorted<T extends Ranked>(left: T[], right: T[]): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i]?.server ?? -1;
    const r = right[j]?.server ?? -1;
    const takeLeft = j >= right.length || (i < left.length && l >= 0 && r >= 0 && l < r);
    merged.push(takeLeft ? left[i++] : right[j++]);
  }
  return merged;
}

function checkPatchFollowsOrder(patchList: JsonValue | undefined, keys: readonly string[], orderRank: Rank, path: string): void {
  if (!Array.isArray(patchList)) return;
  let last = -1;
  for (const item of patchList) {
    if (isJsonObject(item) && Object.hasOwn(item, PATCH)) continue;
    const id = elementId(item, keys);
    if (id === undefined) continue;
    const position = orderRank(id);
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
