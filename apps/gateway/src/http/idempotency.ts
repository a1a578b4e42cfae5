import { createHash } from 'node:crypto';
import { DomainError, type Actor } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';

/** Every occurrence of `from` in `bytes` replaced by `to`. */
function replaceAll(bytes: Buffer, from: Buffer, to: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, start)) {
    parts.push(bytes.subarray(start, at), to);
    start = at + from.length;
  }
  parts.push(bytes.subarray(start));
  return Buffer.concat(parts);
}

/**
 * The request's body as bytes for fingerprinting, whatever the content-type parser made of
 * it. A multipart body's boundary is chosen at random by each client on each request, so it
 * is replaced by a fixed token: a retried upload of the same form has the same fingerprint.
 */
function bodyBytes(request: FastifyRequest): string | Buffer {
  const body = request.body;
  if (body === undefined || body === null) return '';
  const boundary = /^multipart\/[^;]+;.*\bboundary="?([^";]+)"?/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (boundary && Buffer.isBuffer(body)) return replaceAll(body, Buffer.from(boundary), Buffer.from('slipway-boundary'));
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  return JSON.stringify(body);
}

/**
 * `Idempotency-Key` becomes the command id. The id is scoped to the caller, the method and
 * URL, and the body: a retry of the same request gets the first answer, while the same key
 * sent by another client, to another endpoint, or with a different body is a different
 * request and never answered with someone else's outcome (the URL is taken as sent: the
 * same query in another order is another request). Without the header a fresh id is used.
 */
export function commandIdOf(request: FastifyRequest, actor: Actor): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new DomainError('invalid', 'Idempotency-Key must be 1 to 200 characters', 'Idempotency-Key');
  }
  const body = createHash('sha256').update(bodyBytes(request)).digest('hex');
  const scope = [actor.principal, request.method, request.url, key, body].join('\u0000');
  return `idem-${createHash('sha256').update(scope).digest('hex').slice(0, 40)}`;
}
