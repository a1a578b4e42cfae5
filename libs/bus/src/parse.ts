import { DomainError, type CommandEnvelope, type Contract, type PayloadOf, type QueryEnvelope } from '@slipway/contracts';
import type { z } from 'zod';

/** Validates a payload against its contract; the first problem becomes an `invalid` error naming the field. */
export function parsePayload<C extends Contract<z.ZodType>>(contract: C, payload: unknown): PayloadOf<C> {
  const result = contract.schema.safeParse(payload);
  if (result.success) return result.data as PayloadOf<C>;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const message = issue.code === 'unrecognized_keys'
    ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${[...issue.path, k].join('.')}"`).join(', ')}`
    : `${field || 'payload'}: ${issue.message}`;
  throw new DomainError('invalid', message, issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]].join('.') : field || undefined);
}

export function parseCommand<C extends Contract<z.ZodType>>(contract: C, envelope: CommandEnvelope): PayloadOf<C> {
  if (!envelope || typeof envelope.commandId !== 'string' || !envelope.actor || typeof envelope.issuedAt !== 'string') {
    throw new DomainError('invalid', 'not a command envelope: commandId, actor and issuedAt are required');
  }
  return parsePayload(contract, envelope.payload);
}

export function parseQuery<C extends Contract<z.ZodType>>(contract: C, envelope: QueryEnvelope): PayloadOf<C> {
  return parsePayload(contract, envelope?.payload);
}

/** The part of an envelope the event log keeps as event metadata. */
export function commandContext(envelope: CommandEnvelope) {
  return {
    commandId: envelope.commandId,
    correlationId: envelope.correlationId ?? envelope.commandId,
    ...(envelope.causationId ? { causationId: envelope.causationId } : {}),
    actor: envelope.actor.principal,
    issuedAt: envelope.issuedAt,
  };
}
