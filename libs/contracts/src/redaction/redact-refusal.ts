import type { SlipwayError } from '../errors';
import { redactTextPatterns } from './text-patterns';

/**
 * A recorded refusal as a status answer shows it, what looks like a secret in its message and
 * field redacted: a handler's message may quote what it was sent, and any token may follow a
 * status URL (the audit log lists every command's id).
 */
export function redactRefusal<E extends SlipwayError>(error: E): E {
  return { ...error, message: shownText(error.message), ...(typeof error.field === 'string' ? { field: shownText(error.field) } : {}) };
}

/**
 * A text with what reads as a secret redacted, also where a JSON pointer in it escapes a URL's
 * slashes (`/data/postgres:~1~1u:pw@h`, a probe): then its escapes are shown read (`~1` as `/`).
 */
function shownText(text: string): string {
  const redacted = redactTextPatterns(text);
  if (!/~[01]/.test(redacted)) return redacted;
  const unescaped = redacted.replace(/~1/g, '/').replace(/~0/g, '~');
  const again = redactTextPatterns(unescaped);
  return again === unescaped ? redacted : again;
}
