import { quoted } from '@slipway/contracts';
import { isJsonObject, type JsonValue, type TypeMeta } from '@slipway/materializer';
import { integerFieldsOf, type IntegerRange } from './integer-fields';

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

/** The problems of every value found at `segments` below `value`; missing fields have none. */
function check(value: JsonValue | undefined, segments: readonly string[], where: string, range: IntegerRange): string[] {
  if (value === undefined) return [];
  if (segments.length === 0) return [problemOf(where, value, range)].filter((p): p is string => p !== undefined);
  if (!isJsonObject(value)) return [];
  const [segment, ...rest] = segments as [string, ...string[]];
  const list = segment.endsWith('[]');
  const field = list ? segment.slice(0, -2) : segment;
  const next = Object.hasOwn(value, field) ? value[field] : undefined;
  const at = where === '' ? field : `${where}.${field}`;
  if (!list) return check(next, rest, at, range);
  // A list of the wrong shape is the API server's to refuse; only integers are checked here.
  if (!Array.isArray(next)) return [];
  return next.flatMap((element, index) => check(element, rest, `${at}${elementKey(element, index)}`, range));
}

/**
 * The integer fields of a built-in kind whose values the API server would not store as
 * given: out of their int32/int64 range, fractions, strings, or numbers too large to be
 * exact. Each names the field and the value.
 */
export function integerProblems(meta: TypeMeta, object: JsonValue): string[] {
  return integerFieldsOf(meta).flatMap(([path, range]) => check(object, path.split('.'), '', range));
}
