import { createHash } from 'node:crypto';
import { DomainError, type Actor } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';

/** The request's body as bytes for fingerprinting, whatever the content-type parser made of it. */
function bodyBytes(body: unknown): string | Buffer {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  return JSON.stringify(body);
}

/**
 * `Idempotency-Key` becomes the command id. The id is scoped to the caller, the method and
 * URL, and the body: a retry of the same request gets the first answer, while the same key
 * sent by another client, to another endpoint, or with a different body is a different
 * request and never answered with someone else's outcome. Without the header a fresh id is
 * used.
 */
export function commandIdOf(request: FastifyRequest, actor: Actor): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new DomainError('invalid', 'Idempotency-Key must be 1 to 200 characters', 'Idempotency-Key');
  }
  const body = createHash('sha256').update(bodyBytes(request.body)).digest('hex');
  const scope = [actor.principal, request.method, request.url, key, body].join('\u0000');
  return `idem-${createHash('sha256').update(scope).digest('hex').slice(0, 40)}`;
}
