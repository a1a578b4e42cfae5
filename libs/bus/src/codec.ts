import { DomainError, duplicateJsonKey } from '@slipway/contracts';
import { holdsMoreEntriesThan, MAX_SENT_ENTRIES, TOO_MANY_ENTRIES } from './sent-entries';
import { PoisonMessage } from './settlement';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/**
 * A command or query as sent, refused here when the service would take it for poison unread
 * (more than MAX_SENT_ENTRIES keys and list items: decodeSent below): a client told 202 would
 * otherwise wait on a status that stays pending, its command dead-lettered.
 */
export function encodeToSend(value: unknown, what: 'command' | 'query'): Uint8Array {
  const text = JSON.stringify(value);
  if (holdsMoreEntriesThan(text, MAX_SENT_ENTRIES)) {
    throw new DomainError('invalid', `the request makes a ${what} of more than ${MAX_SENT_ENTRIES} keys and list items in all, which no ${what} takes: send fewer`);
  }
  return encoder.encode(text);
}

/** Decodes a message body; a body that is not JSON can never be handled, so it is poison. */
export function decode<T>(data: Uint8Array): T {
  try {
    return JSON.parse(decoder.decode(data)) as T;
  } catch {
    throw new PoisonMessage('message body is not valid JSON');
  }
}

/**
 * Decodes what another process sent (a command, a query) as strictly as the gateway reads a
 * request's body: bytes that are not UTF-8 would be kept as U+FFFD in place of what was meant,
 * and of a key written twice JSON.parse keeps the last silently (an `actor` twice, say). Each
 * is poison, said in the reason; so is a body of more keys and list items than MAX_SENT_ENTRIES,
 * told before the passes whose time grows with them.
 */
export function decodeSent<T>(data: Uint8Array): T {
  let text: string;
  try {
    text = strictUtf8.decode(data);
  } catch {
    throw new PoisonMessage('message body is not valid UTF-8');
  }
  if (holdsMoreEntriesThan(text, MAX_SENT_ENTRIES)) throw new PoisonMessage(TOO_MANY_ENTRIES);
  let parsed: T;
  try {
    parsed = JSON.parse(text) as T;
  } catch {
    throw new PoisonMessage('message body is not valid JSON');
  }
  const twice = duplicateJsonKey(text);
  if (twice) throw new PoisonMessage(`message body holds the key "${twice.key}" twice in one object (${twice.path}): which one is meant cannot be told`);
  return parsed;
}
