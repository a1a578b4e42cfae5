import { DomainError, type Reply } from '@slipway/contracts';

/** A query's value, or its refusal as a DomainError for the dialect filter. */
export function queryValue<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new DomainError(reply.error.code, reply.error.message, reply.error.field);
  return reply.value;
}
