export type JsonMap = Record<string, unknown>;

export const isJsonMap = (value: unknown): value is JsonMap => typeof value === 'object' && value !== null && !Array.isArray(value);

const isSet = (value: unknown): boolean => value !== undefined && value !== null;
/** A key's value, or the default the API server gives it when left out or empty (a port's protocol: TCP). */
const keyOf = (element: JsonMap, key: string, defaults: KeyDefaults): unknown => {
  const value = Object.hasOwn(element, key) ? element[key] : undefined;
  return isSet(value) && !(value === '' && Object.hasOwn(defaults, key)) ? value : defaults[key];
};
type KeyDefaults = Readonly<Record<string, string>>;

/**
 * Finds, for each element Slipway applied to a keyed list (strategic-merge-patch merge keys,
 * server-side apply list-map keys), the live element it became — wherever it now sits.
 * The first key must be equal; further keys must be equal when both sides set them, a key
 * the API server defaults (`keyDefaults`: a port's `protocol`, TCP) read as its default when
 * left out, so an applied `{port: 53}` is the live 53/TCP, never 53/UDP.
 * An element whose keys all agree, set or unset alike, is preferred over one that only
 * agrees where both are set. Each live element answers for one applied element at most.
 * `same` tells an applied key's value from a live one's: a secret's is recorded as its digest.
 * Returns the live match per applied element (`undefined`: gone from the live list).
 */
export function matchElements(
  applied: readonly JsonMap[], live: readonly unknown[], keys: readonly string[], defaults: KeyDefaults = {}, same: SameKey = (mine, theirs) => mine === theirs,
): (JsonMap | undefined)[] {
  const free = live.filter(isJsonMap);
  return applied.map((element) => {
    const candidates = free.filter((item) => sameKeys(element, item, keys, defaults, same));
    const chosen = candidates.find((item) => keys.every((key) => same(keyOf(element, key, defaults), keyOf(item, key, defaults)))) ?? candidates[0];
    if (chosen) free.splice(free.indexOf(chosen), 1);
    return chosen;
  });
}

/** Whether an applied key's value (`mine`) is the live one's. */
export type SameKey = (mine: unknown, theirs: unknown) => boolean;

function sameKeys(element: JsonMap, item: JsonMap, keys: readonly string[], defaults: KeyDefaults, same: SameKey): boolean {
  return keys.every((key, index) => {
    const [mine, theirs] = [keyOf(element, key, defaults), keyOf(item, key, defaults)];
    if (index === 0) return isSet(mine) && same(mine, theirs);
    return !isSet(mine) || !isSet(theirs) || same(mine, theirs);
  });
}
