import { createHash } from 'node:crypto';
import { DomainError, type Actor } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';

/**
 * `Idempotency-Key` becomes the command id, scoped to the caller so two clients that
 * pick the same key never share an outcome. Without the header a fresh id is used.
 */
export function commandIdOf(request: FastifyRequest, actor: Actor): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new DomainError('invalid', 'Idempotency-Key must be 1 to 200 characters', 'Idempotency-Key');
  }
  return `idem-${createHash('sha256').update(`${actor.principal}\u0000${key}`).digest('hex').slice(0, 40)}`;
}
