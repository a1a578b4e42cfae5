import { isSecretSetting } from '@slipway/contracts';
import { isJsonMap, type JsonMap } from './match-elements';
import type { DiffRow } from './diff-rows';

/** How a row shows a Secret's value: as `kubectl diff` does, that it differs, never what it is. */
export const HIDDEN = '***';
export const HIDDEN_DIFFERENT = '*** (differs)';

export const isSecret = (meta: { apiVersion?: string; kind?: string }): boolean => meta.apiVersion === 'v1' && meta.kind === 'Secret';

/**
 * A Secret as the API server keeps it: `stringData` is write-only — merged into `data`,
 * base64-encoded, its keys winning over `data`'s — and never read back, so comparing it as
 * applied would report every Secret that uses it as drift.
 */
export function asStored(secret: JsonMap): JsonMap {
  const { stringData, ...rest } = secret;
  if (!isJsonMap(stringData)) return secret;
  const data: JsonMap = isJsonMap(rest.data) ? { ...rest.data } : {};
  for (const [key, value] of Object.entries(stringData)) {
    // A non-string value is the API server's to refuse; kept as is, it still shows as drift.
    data[key] = typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : value;
  }
  return { ...rest, data };
}

const holdsValues = (key: string): boolean => /^(data|stringData)(\.|\[|$)/.test(key);
const hide = (shown: string, missing: string, hidden: string): string => (shown === missing ? missing : hidden);

/** A row about a Secret's values says which key differs, not the values on either side. */
export function hideSecretValues(row: DiffRow, missing: string): DiffRow {
  return holdsValues(row.key) ? hideValues(row, missing) : row;
}

/** The row saying only that the values differ (or that one side is missing). */
export function hideValues(row: DiffRow, missing: string): DiffRow {
  return { key: row.key, expected: hide(row.expected, missing, HIDDEN), got: hide(row.got, missing, HIDDEN_DIFFERENT) };
}

const ENV_ENTRY = /env\[name=("(?:[^"\\]|\\.)*")\](?:\.value)?$/;

/**
 * The name of the env entry a row is about. A row key names an entry in JSON, which always
 * reads back; a map key of a custom object may only look like one (`env[name="\q"]`): its
 * name is then judged as it is written, so a secret-looking one is still hidden.
 */
function envEntryName(key: string): string | undefined {
  const quoted = ENV_ENTRY.exec(key)?.[1];
  if (quoted === undefined) return undefined;
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/**
 * Whether a row's field holds a secret in any kind of object, by the redaction rules: a
 * secret-named field (`DB_PASSWORD`, `apiKey`; a map key with dots, `db-password.txt`, is
 * tried whole too) or an env entry named like one, or its value. Such rows hide their
 * values too (golden configs recorded before secrets were digested hold them in clear).
 */
export function isSecretField(key: string): boolean {
  const name = envEntryName(key);
  if (name !== undefined && isSecretSetting(name)) return true;
  // The fields after the last list element: a map key may hold dots, so each tail is a candidate.
  const fields = key.slice(key.lastIndexOf(']') + 1).replace(/^\./, '').split('.');
  return fields.some((_, i) => isSecretSetting(fields.slice(i).join('.')));
}
