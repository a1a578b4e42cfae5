import { REDACTED } from './redacted';
import { redactSecretText } from './redact-text';
import { isSecretKind, positionOf, type Position } from './secret-positions';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/**
 * A copy of a JSON value with its secrets replaced by `[redacted]`: values under secret-named
 * keys, the value of an env entry or JSON-patch operation named like a secret, every value
 * of a Kubernetes Secret's `data`/`stringData`, URL passwords, and secrets in config or
 * patch text (redactSecretText). Empty values stay empty.
 */
export function redactSecrets(value: unknown, inSecret = false): unknown {
  if (typeof value === 'string') return redactSecretText(value, inSecret);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, inSecret));
  if (!isObject(value)) return value;
  const below = inSecret || isSecretKind(value);
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, redactAt(positionOf(key, value, inSecret), v, below)]));
}

function redactAt(position: Position, value: unknown, inSecret: boolean): unknown {
  if (position === 'secret') return hidden(value);
  if (position === 'secret-entries') return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hidden(v)])) : hidden(value);
  return redactSecrets(value, inSecret);
}

const hidden = (value: unknown): unknown => (value === '' || value === null || value === undefined ? value : REDACTED);
