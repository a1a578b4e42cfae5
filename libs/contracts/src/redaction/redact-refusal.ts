import type { SlipwayError } from '../errors';
import { redactTextPatterns } from './text-patterns';

/**
 * A recorded refusal as a status answer shows it, what looks like a secret in its message
 * redacted: a handler's message may quote what it was sent, and any token may follow a
 * status URL (the audit log lists every command's id).
 */
export function redactRefusal<E extends SlipwayError>(error: E): E {
  return { ...error, message: redactTextPatterns(error.message) };
}
