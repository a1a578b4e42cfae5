import { quoted } from '@slipway/contracts';
import { isJsonObject, type JsonValue, type TypeMeta } from '@slipway/materializer';
import { idFieldsOf, integerFieldsOf, type IntegerRange } from './integer-fields';

/** `spec.replicas must be an integer from 0 to 2147483647, got "three"`, or undefined when the value fits. */
function problemOf(where: string, value: JsonValue, range: IntegerRange): string | undefined {
  // null: an optional field left unset, as the API server reads it.
  if (value === null) return undefined;
  if (range.orString && typeof value === 'string') return undefined;
  // isSafeInteger refuses fractions and numbers too large to be held exactly (1e+26).
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= range.min && value <= range.max) return undefined;
  const wanted = `an integer from ${range.min} to ${range.max}${range.orString ? ' or a string' : ''}`;
  return `${where} must be ${wanted}, got ${quoted(value)}`;
}

/** A list element's place: by its name when it has one (containers, ports), else by position. */
const elementKey = (element: JsonValue, index: number): string =>
  isJsonObject(element) && typeof element.name === 'string' ? `[name=${JSON.stringify(element.name)}]` : `[${index}]`;

/**
 * The problems `problemOf` finds in every value at the dot-separated `path` below `value`
 * (`name[]` is every element of the list `name`); missing fields have none, and a list or
 * map of the wrong shape on the way is the API server's to refuse.
 */
export function problemsAt(value: JsonValue | undefined, path: string, problemOf: (where: string, value: JsonValue) => string | undefined): string[] {
  const walk = (at: JsonValue | undefined, segments: readonly string[], where: string): string[] => {
    if (at === undefined) return [];
    if (segments.length === 0) return [problemOf(where, at)].filter((p): p is string => p !== undefined);
    if (!isJsonObject(at)) return [];
    const [segment, ...rest] = segments as [string, ...string[]];
    const list = segment.endsWith('[]');
    const field = list ? segment.slice(0, -2) : segment;
    const next = Object.hasOwn(at, field) ? at[field] : undefined;
    const named = where === '' ? field : `${where}.${field}`;
    if (!list) return walk(next, rest, named);
    if (!Array.isArray(next)) return [];
    return next.flatMap((element, index) => walk(element, rest, `${named}${elementKey(element, index)}`));
  };
  return walk(value, path.split('.'), '');
}

/**
 * The integer fields of a built-in kind whose values the API server would not store as
 * given: out of their int32/int64 range, fractions, strings, or numbers too large to be
 * exact. Each names the field and the value.
 */
export function integerProblems(meta: TypeMeta, object: JsonValue): string[] {
  return integerFieldsOf(meta).flatMap(([path, range]) => problemsAt(object, path, (where, value) => problemOf(where, value, range)));
}

/** The same of the pod's user and group ids (idFieldsOf). */
export function idProblems(meta: TypeMeta, object: JsonValue): string[] {
  return idFieldsOf(meta).flatMap(([path, range]) => problemsAt(object, path, (where, value) => problemOf(where, value, range)));
}
