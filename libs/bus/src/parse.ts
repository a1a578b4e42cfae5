import { DomainError, type CommandEnvelope, type Contract, type PayloadOf, type QueryEnvelope } from '@slipway/contracts';
import type { z } from 'zod';

/**
 * Where a value holds a NUL character (U+0000), in a string or a key, as a field path.
 * Postgres text and jsonb cannot store one, so such a payload could only fail later, on
 * every retry; it is refused up front as the input's fault.
 */
function nulCharacterAt(value: unknown, path: string[] = []): string[] | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterAt(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\0')) return [...path, key];
    const found = nulCharacterAt(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** Validates a payload against its contract; the first problem becomes an `invalid` error naming the field. */
export function parsePayload<C extends Contract<z.ZodType>>(contract: C, payload: unknown): PayloadOf<C> {
  const result = contract.schema.safeParse(payload);
  if (result.success) {
    const nul = nulCharacterAt(result.data);
    if (nul) {
      const field = nul.join('.').replaceAll('\0', '\\u0000');
      throw new DomainError('invalid', `${field || 'payload'}: must not contain a NUL character (\\u0000)`, field || undefined);
    }
    return result.data as PayloadOf<C>;
  }
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
