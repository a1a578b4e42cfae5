import { PoisonMessage } from './settlement';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Decodes a message body; a body that is not JSON can never be handled, so it is poison. */
export function decode<T>(data: Uint8Array): T {
  try {
    return JSON.parse(decoder.decode(data)) as T;
  } catch {
    throw new PoisonMessage('message body is not valid JSON');
  }
}
