import { isSecretSetting } from '@slipway/contracts';
export const REDACTED = '[redacted]';

const SECRET_WORD = String.raw`(?:secret|passw(?:or)?d|token|api[-_]?key|credential|private[-_]?key)`;
const SECRET_LINE = new RegExp(String.raw`^(\s*-?\s*["']?[\w.-]*${SECRET_WORD}[\w.-]*["']?\s*[:=]\s*).+$`, 'gim');
/** A Kubernetes env entry in YAML: `- name: DB_PASSWORD` followed by its `value:` line. */
const SECRET_ENV_VALUE = new RegExp(String.raw`(^\s*-?\s*name:\s*["']?[\w.-]*${SECRET_WORD}[\w.-]*["']?\s*\n\s*value:\s*).+$`, 'gim');
/** Anywhere in a log message: `password=x`, `"api_key": "x"`, `Authorization: Bearer x`. */
const SECRET_PAIR = new RegExp(String.raw`(["']?[\w.-]*(?:${SECRET_WORD}|authorization|cookie)[\w.-]*["']?\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)`, 'gi');
const BEARER = /\b(bearer|basic)\s+[\w.~+/=-]+/gi;

const isEnvEntry = (entries: Array<[string, unknown]>) => entries.some(([k, v]) => k === 'name' && typeof v === 'string' && isSecretSetting(v));

/**
 * A copy with every value under a secret-looking key replaced, and in text (configs as
 * YAML, env files) every `key: value` / `KEY=value` line with such a key and the value of
 * an env entry named like one (`{ name: DB_PASSWORD, value: … }`, as object or YAML):
 * secrets never leave in an export.
 */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(SECRET_LINE, `$1${REDACTED}`).replace(SECRET_ENV_VALUE, `$1${REDACTED}`);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const env = isEnvEntry(entries);
    return Object.fromEntries(entries.map(([k, v]) => [k, isSecretSetting(k) || (env && k === 'value') ? REDACTED : redact(v)]));
  }
  return value;
}

/** A log message with secret-looking `key=value` pairs and bearer credentials redacted wherever they stand in it. */
export function redactLogMessage(message: string): string {
  return String(redact(message)).replace(BEARER, `$1 ${REDACTED}`).replace(SECRET_PAIR, `$1${REDACTED}`);
}
