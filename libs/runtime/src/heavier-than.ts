/**
 * Whether a value holds more than `values` values (lists and maps counted too) or more than
 * `characters` characters in its keys and strings; walks no further than it takes to tell.
 */
export function heavierThan(value: unknown, { values, characters }: { values: number; characters: number }): boolean {
  const pending: unknown[] = [value];
  let seen = 0;
  let text = 0;
  while (pending.length > 0) {
    const next = pending.pop();
    seen += 1;
    if (typeof next === 'string') text += next.length;
    if (seen > values || text > characters) return true;
    if (typeof next !== 'object' || next === null) continue;
    // What is pushed beyond what the bound can still take is never looked at.
    if (Array.isArray(next)) {
      for (let i = 0; i < next.length && seen + pending.length <= values; i += 1) pending.push(next[i]);
    } else {
      for (const key in next) {
        if (seen + pending.length > values) break;
        if (!Object.hasOwn(next, key)) continue;
        text += key.length;
        pending.push((next as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}
