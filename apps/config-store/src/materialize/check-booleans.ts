import { parse } from 'yaml';
import { QUIET_YAML, quoted } from '@slipway/contracts';
import type { JsonValue, TypeMeta } from '@slipway/materializer';
import { booleanFieldsOf } from './boolean-fields';
import { problemsAt } from './check-integers';

/** Whether YAML 1.1, kubectl's, reads this text as a boolean (as the materializer asks it what it misreads). */
function booleanToYaml11(text: string): boolean {
  try {
    return typeof parse(text, { ...QUIET_YAML, version: '1.1' }) === 'boolean';
  } catch {
    return false;
  }
}

function problemOf(where: string, value: JsonValue): string | undefined {
  // null: an optional field left unset, as the API server reads it.
  if (value === null || typeof value === 'boolean') return undefined;
  const hint = typeof value === 'string' && booleanToYaml11(value)
    ? ` (kubectl's YAML 1.1 reads ${value} as a boolean; Slipway reads YAML 1.2, where it is text: write true or false, unquoted)`
    : '';
  return `${where} must be true or false, got ${quoted(value)}${hint}`;
}

/** The boolean fields of a built-in kind holding anything but a boolean (or null), each named with its value. */
export function booleanProblems(meta: TypeMeta, object: JsonValue): string[] {
  return booleanFieldsOf(meta).flatMap((path) => problemsAt(object, path, problemOf));
}
