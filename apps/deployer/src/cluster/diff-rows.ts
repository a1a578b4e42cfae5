export interface DiffRow { key: string; expected: string; got: string }

export const MISSING = '<missing>';

const show = (value: unknown): string => (value === undefined ? MISSING : typeof value === 'string' ? value : JSON.stringify(value));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Where the live object differs from the applied one, field by field. Only what Slipway
 * applied is compared: fields the server or controllers add (defaults, status) are not
 * drift. Keys are dotted paths with list indexes (`spec.template.spec.containers.0.image`).
 */
export function diffRows(expected: unknown, live: unknown, key = ''): DiffRow[] {
  if (isObject(expected)) {
    if (!isObject(live)) return [{ key, expected: show(expected), got: show(live) }];
    return Object.entries(expected).flatMap(([name, value]) => diffRows(value, live[name], key ? `${key}.${name}` : name));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(live)) return [{ key, expected: show(expected), got: show(live) }];
    const rows = expected.flatMap((value, i) => diffRows(value, live[i], `${key}.${i}`));
    return live.length > expected.length ? [...rows, { key: `${key}.length`, expected: String(expected.length), got: String(live.length) }] : rows;
  }
  if (expected === null) return live === null || live === undefined ? [] : [{ key, expected: 'null', got: show(live) }];
  return show(expected) === show(live) ? [] : [{ key, expected: show(expected), got: show(live) }];
}
