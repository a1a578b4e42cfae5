import { DomainError } from './errors';
import { LONE_SURROGATE } from './characters';

/** What Postgres text and jsonb cannot store: a NUL character (U+0000), and a lone surrogate. */
const UNSTORABLE = new RegExp(`\\0|${LONE_SURROGATE.source}`);
const unstorable = (text: string): string | undefined => UNSTORABLE.exec(text)?.[0];
const escaped = (character: string): string => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A YAML `!!set` or `!!omap`, which the library reads as a JS Set or Map: JSON writes either as
 * `{}`, so what it held would be lost unsaid (labels: !!set {a, b} stored as {}, or pushed as
 * labels "0" and "1").
 */
const LOST_IN_JSON = 'is a YAML set (!!set) or ordered map (!!omap), which JSON cannot hold: write it as a map or a list';

/** The first thing in a value that it cannot be stored with, and where. */
export interface UnstorableValue {
  /** Dotted path to it ('' for the value itself); unstorable characters in keys are spelled `\u0000`. */
  field: string;
  /** What is wrong there: `must not contain a NUL character (\u0000)`, `is nested deeper than 128 levels`, `is a key that cannot be kept` (`__proto__`). */
  reason: string;
  /** Whether the reason is depth (its path can be as long as the limit; callers may leave it out). */
  tooDeep: boolean;
}

/**
 * Where a value holds a character Postgres cannot store (UNSTORABLE), in a string or a key,
 * a set or an ordered map (LOST_IN_JSON), a `__proto__` key (which no object copy keeps), or (with `maxDepth`) a list or map nested deeper than that. Such a value could only fail
 * later, on every retry; it is refused up front as the input's fault. Walked with a stack
 * of its own, so no nesting depth can overflow the call stack, and each list or map once,
 * so a value that contains itself (YAML can make one) ends the walk rather than looping.
 */
export function unstorableValueAt(payload: unknown, maxDepth = Infinity): UnstorableValue | undefined {
  // Each node points at its parent: the path is spelled out only for the one found.
  interface Node { value: unknown; key?: string; parent?: Node; depth: number }
  const pathOf = (node: Node | undefined, key?: string): string => {
    const reversed = key === undefined ? [] : [key];
    for (let at = node; at?.key !== undefined; at = at.parent) reversed.push(at.key);
    return reversed.reverse().join('.').replace(new RegExp(UNSTORABLE.source, 'g'), escaped);
  };
  const found = (field: string, character: string): UnstorableValue => ({
    field,
    reason: `must not contain ${character === '\0' ? 'a NUL character (\\u0000)' : `an unpaired UTF-16 surrogate (${escaped(character)}, not a character)`}`,
    tooDeep: false,
  });
  const pending: Node[] = [{ value: payload, depth: 0 }];
  const walked = new Set<unknown>();
  for (let node = pending.pop(); node; node = pending.pop()) {
    const { value, depth } = node;
    const isList = Array.isArray(value);
    const isMap = !isList && typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
    if ((isList || isMap) && depth >= maxDepth) return { field: pathOf(node), reason: `is nested deeper than ${maxDepth} levels`, tooDeep: true };
    if (isList || isMap) {
      if (walked.has(value)) continue;
      walked.add(value);
    }
    if (value instanceof Set || value instanceof Map) return { field: pathOf(node), reason: LOST_IN_JSON, tooDeep: false };
    if (typeof value === 'string') {
      const character = unstorable(value);
      if (character) return found(pathOf(node), character);
    } else if (isList) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], key: String(i), parent: node, depth: depth + 1 });
    } else if (isMap) {
      const entries = Object.entries(value as object);
      const badKey = entries.find(([key]) => unstorable(key));
      if (badKey) return found(pathOf(node, badKey[0]), unstorable(badKey[0])!);
      // JSON and YAML make it an own key; validation and every copy would drop it unsaid.
      if (Object.hasOwn(value as object, '__proto__')) return { field: pathOf(node, '__proto__'), reason: 'is a key that cannot be kept', tooDeep: false };
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ value: entries[i]![1], key: entries[i]![0], parent: node, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Refuses a value unstorableValueAt finds fault with (maxDepth its depth bound), as
 * `<where> is nested deeper than N levels` or `<where>: <path>: <reason>`, naming `field`:
 * for documents read out of a request's field (a YAML upload, an archive's JSON file).
 */
export function refuseUnstorable(value: unknown, maxDepth: number, where: string, field: string): void {
  const at = unstorableValueAt(value, maxDepth);
  if (!at) return;
  if (at.tooDeep) throw new DomainError('invalid', `${where} is nested deeper than ${maxDepth} levels`, field);
  throw new DomainError('invalid', `${where}: ${at.field ? `${at.field}: ` : ''}${at.reason}`, field);
}
