import { quoted } from '@slipway/contracts';
import type { JsonValue, TypeMeta } from '@slipway/materializer';
import { booleanFieldsOf } from './boolean-fields';
import { problemsAt } from './check-integers';

/** The words YAML 1.1 (kubectl's) reads as booleans, and YAML 1.2 (Slipway's) as text. */
const YAML_11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/;

function problemOf(where: string, value: JsonValue): string | undefined {
  // null: an optional field left unset, as the API server reads it.
  if (value === null || typeof value === 'boolean') return undefined;
  const hint = typeof value === 'string' && YAML_11_BOOLEAN.test(value)
    ? ` (kubectl's YAML 1.1 reads ${value} as a boolean; Slipway reads YAML 1.2, where it is text: write true or false, unquoted)`
    : '';
  return `${where} must be true or false, got ${quoted(value)}${hint}`;
}

/** The boolean fields of a built-in kind holding anything but a boolean (or null), each named with its value. */
export function booleanProblems(meta: TypeMeta, object: JsonValue): string[] {
  return booleanFieldsOf(meta).flatMap((path) => problemsAt(object, path, problemOf));
}
