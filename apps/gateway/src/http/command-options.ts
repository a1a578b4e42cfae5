import { COMMAND_ID_RULE, DomainError, idRuleBroken, TOKEN_IN_ID_RULE, type Actor } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { holdsOwnToken } from '../auth/token-header';
import { idempotencyOf, type Idempotency } from './idempotency';
import { waitingSince } from './wait-clock';

export interface CommandOptions extends Idempotency {
  correlationId?: string;
  /** When the request began to wait (its token check): its command waits what is left of the bound. */
  waitingSince?: number;
}

/**
 * A client's `X-Correlation-Id`: the log records it as the correlation id of the request's
 * command and of the commands it leads to (a write's push), so an auditor finds all of
 * them with `/api/v1/events?correlationId=`. Without the header the chain is named by its
 * first command's id.
 */
export function correlationOf(request: FastifyRequest): string | undefined {
  const value = request.headers['x-correlation-id'];
  if (value === undefined) return undefined;
  // The envelope's rule for ids (kept in the audit log, by every event the request leads to), and the caller's own token.
  const broken = idRuleBroken(value) ?? (holdsOwnToken(request, String(value)) ? TOKEN_IN_ID_RULE : undefined);
  if (broken) throw new DomainError('invalid', `X-Correlation-Id ${broken}${broken === COMMAND_ID_RULE ? ', sent once' : ''}`, 'X-Correlation-Id');
  return value as string;
}

/** What a request makes of its command's ids: Idempotency-Key its id, X-Correlation-Id the chain it belongs to. */
export function commandOptionsOf(request: FastifyRequest, actor: Actor): CommandOptions {
  const correlationId = correlationOf(request);
  const since = waitingSince(request);
  return { ...idempotencyOf(request, actor), ...(correlationId ? { correlationId } : {}), ...(since !== undefined ? { waitingSince: since } : {}) };
}
