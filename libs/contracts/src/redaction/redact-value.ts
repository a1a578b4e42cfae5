import { REDACTED } from './redacted';
import { redactSecretText } from './redact-text';
import { withoutSealedTokens } from './sealed-tokens';
import { elementPositions, isSecretKind, positionOf, type Position } from './secret-positions';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** What to put in place of a secret: a value at a secret position, and a string that may hold secrets in its text. */
export interface SecretReplacer {
  value(secret: unknown): unknown;
  text(text: string, inSecret: boolean): string;
}

/**
 * A copy of a JSON value with its secrets replaced by `[redacted]`: values under secret-named
 * keys, all an env entry named like a secret holds but its name, the value of a JSON-patch
 * operation named like a secret, a list's element after a flag naming a secret (`--token`,
 * elementPositions), every value of a Kubernetes Secret's `data`/`stringData`, URL passwords, and secrets in config or patch text (redactSecretText); and the tokens the log
 * holds for sealed values (withoutSealedTokens). Empty values stay empty.
 */
export function redactSecrets(value: unknown, inSecret = false): unknown {
  return redactSecretsWith(value, redactSecretText, inSecret);
}

/** As redactSecrets, with the text of strings redacted by `redactText` (redactSecretText, or one that keeps what it has read once). */
export function redactSecretsWith(value: unknown, redactText: (text: string, inSecret: boolean) => string, inSecret = false): unknown {
  return replaceSecrets(value, { value: hidden, text: (text, below) => withoutSealedTokens(redactText(text, below)) }, inSecret);
}

/** A copy of a JSON value with each secret, found by redactSecrets' rules, replaced as `replacer` says. */
export function replaceSecrets(value: unknown, replacer: SecretReplacer, inSecret = false): unknown {
  if (typeof value === 'string') return replacer.text(value, inSecret);
  if (Array.isArray(value)) {
    const positions = elementPositions(value);
    return value.map((item, i) => replaceAt(positions[i]!, item, inSecret, replacer));
  }
  if (!isObject(value)) return value;
  const below = inSecret || isSecretKind(value);
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, replaceAt(positionOf(key, value, inSecret), v, below, replacer)]));
}

/** A string of a value that the redaction rules read as text (not secret as a whole), and whether it is a Secret's. */
export interface TextIn { text: string; inSecret: boolean }

/** The strings of a value that replaceSecrets gives its replacer's `text`, in its order: what to work out ahead (off the event loop, say) of replacing them. */
export function textsIn(value: unknown, inSecret = false): TextIn[] {
  const texts: TextIn[] = [];
  replaceSecrets(value, { value: (secret) => secret, text: (text, below) => (texts.push({ text, inSecret: below }), text) }, inSecret);
  return texts;
}

function replaceAt(position: Position, value: unknown, inSecret: boolean, replacer: SecretReplacer): unknown {
  if (position === 'secret') return replacer.value(value);
  if (position === 'secret-entries') return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replacer.value(v)])) : replacer.value(value);
  return replaceSecrets(value, replacer, inSecret);
}

const hidden = (value: unknown): unknown => (value === '' || value === null || value === undefined ? value : REDACTED);
