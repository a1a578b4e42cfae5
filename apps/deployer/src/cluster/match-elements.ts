export type JsonMap = Record<string, unknown>;

export const isJsonMap = (value: unknown): value is JsonMap => typeof value === 'object' && value !== null && !Array.isArray(value);

const keyOf = (element: JsonMap, key: string): unknown => (Object.hasOwn(element, key) ? element[key] : undefined);
const isSet = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Finds, for each element Slipway applied to a keyed list (strategic-merge-patch merge keys,
 * server-side apply list-map keys), the live element it became — wherever it now sits.
 * The first key must be equal; further keys (a port's `protocol`) must be equal when both
 * sides set them, because the API server fills in defaults the applied element left out.
 * An element whose keys all agree, set or unset alike, is preferred over one that only
 * agrees where both are set. Each live element answers for one applied element at most.
 * Returns the live match per applied element (`undefined`: gone from the live list).
 */
export function matchElements(applied: readonly JsonMap[], live: readonly unknown[], keys: readonly string[]): (JsonMap | undefined)[] {
  const free = live.filter(isJsonMap);
  return applied.map((element) => {
    const candidates = free.filter((item) => sameKeys(element, item, keys));
    const chosen = candidates.find((item) => keys.every((key) => keyOf(item, key) === keyOf(element, key))) ?? candidates[0];
    if (chosen) free.splice(free.indexOf(chosen), 1);
    return chosen;
  });
}

function sameKeys(element: JsonMap, item: JsonMap, keys: readonly string[]): boolean {
  return keys.every((key, index) => {
    const [mine, theirs] = [keyOf(element, key), keyOf(item, key)];
    if (index === 0) return isSet(mine) && mine === theirs;
    return !isSet(mine) || !isSet(theirs) || mine === theirs;
  });
}
