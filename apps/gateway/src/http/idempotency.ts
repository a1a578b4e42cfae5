import { createHash } from 'node:crypto';
import { DomainError, type Actor, type SlipwayError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { tokenOf } from '../auth/token-header';
import { headerValuesSent } from './headers-sent';

/** What a request's Idempotency-Key makes of its command: CommandBus's options for it. */
export interface Idempotency {
  commandId?: string;
  checkPayload?: boolean;
}

/**
 * `Idempotency-Key` becomes the command id, scoped to the caller's token, the method and
 * the URL (as sent but for its escapes, asCompared: the same query in another order is
 * another request), so the same key
 * from another client or to another endpoint is another request. The token itself (not
 * its principal's name) goes in: the id names the command's status URL, which whoever
 * could work it out (knowing the principal and a guessable key) could otherwise read. A retry of the request gets
 * the first answer; the same key with another body is refused (400, naming the header),
 * as the IETF's Idempotency-Key draft and Stripe do, never run as a second request nor
 * answered the first one's outcome. Without the header a fresh id is used.
 */
export function idempotencyOf(request: FastifyRequest, actor: Actor): Idempotency {
  // Read as sent: Node joins one sent twice ("k, k"), which a retry sending it once would not match.
  const keys = [...new Set(headerValuesSent(request, 'idempotency-key').map(({ value }) => value))];
  if (keys.length === 0) return {};
  if (keys.length > 1) {
    throw new DomainError('invalid', `send one Idempotency-Key: the request carries ${keys.length} that differ, and which names the request cannot be told`, 'Idempotency-Key');
  }
  const key = keys[0]!;
  // Counted as characters of the UTF-8 it was sent in (Node reads a header's bytes as Latin-1: `é` is two there).
  const characters = [...Buffer.from(key, 'latin1').toString('utf8')].length;
  if (characters === 0 || characters > 200) {
    throw new DomainError('invalid', 'Idempotency-Key must be 1 to 200 characters', 'Idempotency-Key');
  }
  const scope = [tokenOf(request) ?? actor.principal, request.method, asCompared(request.url), key].join('\u0000');
  return { commandId: `idem-${createHash('sha256').update(scope).digest('hex').slice(0, 40)}`, checkPayload: true };
}

/**
 * The URL as RFC 3986 (6.2.2) compares URIs: an unreserved character sent percent-encoded
 * (`%64efault`) is the character, other escapes read in upper case. A client that encodes
 * its retry differently retries the same request.
 */
function asCompared(url: string): string {
  return url.replace(/%([0-9a-fA-F]{2})/g, (escape, hex: string) => {
    const character = String.fromCharCode(parseInt(hex, 16));
    return /^[A-Za-z0-9._~-]$/.test(character) ? character : escape.toUpperCase();
  });
}

/** A command id reused for another payload (CommandIdReused), said in the terms of the request that chose it. */
export function inIdempotencyTerms(error: SlipwayError, request: FastifyRequest): SlipwayError {
  if (error.field !== 'commandId' || request.headers['idempotency-key'] === undefined) return error;
  return {
    code: 'invalid', field: 'Idempotency-Key',
    message: 'Idempotency-Key was used before for this endpoint with another request body; a retry sends the same body, another request a new key',
  };
}
