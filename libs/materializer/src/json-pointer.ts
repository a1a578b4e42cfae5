import { isJsonObject, type JsonValue } from './json';

/**
 * RFC 6901 reading of JSON pointers, by what a document holds itself. fast-json-patch looks
 * a key up as `obj[key]`, so members every object inherits (`toString`, `valueOf`,
 * `hasOwnProperty`) read as present: a `move` from one put a Function in the object (no YAML
 * writer prints it), a `replace` of one acted as an add, a `remove` of one did nothing and
 * said nothing. It reads a list index as any digits, so `01` was element 1, which RFC 6901 4
 * does not allow (and a move from `/a/0` into `/a/00/x` passed as not into itself).
 */

/** Where a pointer does not lead: why, to be said after the operation. */
export interface Unresolved { why: string }
export type Resolved = { value: JsonValue } | Unresolved;

/** RFC 6901 4: `0`, or digits that do not start with `0`. */
const LIST_INDEX = /^(0|[1-9][0-9]*)$/;

/** The reference tokens of a pointer, `~1` read as `/` and then `~0` as `~` (fast-json-patch reads them so). */
export function pointerTokens(pointer: string): string[] {
  return pointer.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a pointer names in a document, by its own members only. */
export function resolvePointer(document: JsonValue, pointer: string): Resolved {
  if (pointer !== '' && !pointer.startsWith('/')) return { why: `"${pointer}" is not a JSON pointer (RFC 6901: empty, or starting with "/")` };
  const segments = pointer.split('/');
  const tokens = pointerTokens(pointer);
  let value = document;
  for (let at = 0; at < tokens.length; at++) {
    const member = memberOf(value, tokens[at]!, segments.slice(0, at + 2).join('/'));
    if ('why' in member) return member;
    value = member.value;
  }
  return { value };
}

/**
 * Whether `add` (and a move's or copy's destination) can put a value where a pointer says:
 * into a map that exists (as any key), or a list that exists at an index up to its length, or `-`.
 */
export function placeFor(document: JsonValue, pointer: string): Unresolved | undefined {
  if (pointer === '') return undefined; // the whole document
  const parentPointer = pointer.slice(0, pointer.lastIndexOf('/'));
  const parent = resolvePointer(document, parentPointer);
  if ('why' in parent) return parent;
  const last = pointerTokens(pointer).at(-1)!;
  if (isJsonObject(parent.value)) return undefined;
  if (!Array.isArray(parent.value)) return { why: `${shown(parentPointer)} is not a list or a map` };
  if (last === '-') return undefined;
  if (!LIST_INDEX.test(last)) return notAnIndex(last, pointer);
  return Number(last) <= parent.value.length ? undefined : { why: `${shown(parentPointer)} has ${parent.value.length} elements` };
}

function memberOf(container: JsonValue, token: string, pointer: string): Resolved {
  const parentPointer = pointer.slice(0, pointer.lastIndexOf('/'));
  if (Array.isArray(container)) {
    if (!LIST_INDEX.test(token)) return notAnIndex(token, pointer);
    const index = Number(token);
    return index < container.length ? { value: container[index]! } : { why: `${shown(parentPointer)} has no element ${token}` };
  }
  if (isJsonObject(container)) {
    return Object.hasOwn(container, token) ? { value: container[token]! } : { why: `${shown(parentPointer)} has no member "${token}"` };
  }
  return { why: `${shown(parentPointer)} is not a list or a map` };
}

const notAnIndex = (token: string, pointer: string): Unresolved => ({
  why: `"${token}" in "${pointer}" is not a list index (RFC 6901: digits, without a leading zero)`,
});

const shown = (pointer: string): string => (pointer === '' ? 'the object' : `"${pointer}"`);

/** The value at a pointer, by the document's own members ; undefined where there is none. */
export function valueAt(document: JsonValue, pointer: unknown): JsonValue | undefined {
  if (typeof pointer !== 'string') return undefined;
  const found = resolvePointer(document, pointer);
  return 'value' in found ? found.value : undefined;
}
