/**
 * The objects a write can change: every object, or a set of names. A set may hold more
 * than what changes (that is only slower), never less: objects outside it must
 * materialize exactly as they did before the write.
 */
export const EVERY_OBJECT = 'every object';
export type Affected = typeof EVERY_OBJECT | ReadonlySet<string>;

export const NO_OBJECT: Affected = new Set<string>();

export const named = (names: Iterable<string>): Affected => new Set(names);

export function union(parts: readonly Affected[]): Affected {
  const names = new Set<string>();
  for (const part of parts) {
    if (part === EVERY_OBJECT) return EVERY_OBJECT;
    for (const name of part) names.add(name);
  }
  return names;
}

export const isNoObject = (affected: Affected): boolean => affected !== EVERY_OBJECT && affected.size === 0;

/** The `text[]` parameter that filters SQL by object name: null means no filter. */
export const namesParam = (affected: Affected): string[] | null => (affected === EVERY_OBJECT ? null : [...affected]);
