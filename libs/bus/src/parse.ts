import { DomainError, type CommandEnvelope, type Contract, type PayloadOf, type QueryEnvelope } from '@slipway/contracts';
import type { z } from 'zod';

/**
 * What Postgres text and jsonb cannot store: a NUL character (U+0000), and half of a UTF-16
 * surrogate pair without its other half (JSON's `"\ud800"` decodes to one; it is no
 * character, and has no UTF-8 form).
 */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (text: string): string | undefined => UNSTORABLE.exec(text)?.[0];

/**
 * Where a value holds a character Postgres cannot store (UNSTORABLE), in a string or a key,
 * as a field path. Such a payload could only fail later, on every retry; it is refused up
 * front as the input's fault. Walked with a stack of its own, so no nesting depth can
 * overflow the call stack.
 */
function unstorableCharacterAt(payload: unknown): { path: string[]; character: string } | undefined {
  // Each node points at its parent: the path is spelled out only for the one found.
  interface Node { value: unknown; key?: string; parent?: Node }
  const pathOf = (node: Node | undefined, key?: string): string[] => {
    const reversed = key === undefined ? [] : [key];
    for (let at = node; at?.key !== undefined; at = at.parent) reversed.push(at.key);
    return reversed.reverse();
  };
  const pending: Node[] = [{ value: payload }];
  for (let node = pending.pop(); node; node = pending.pop()) {
    const { value } = node;
    if (typeof value === 'string') {
      const character = unstorable(value);
      if (character) return { path: pathOf(node), character };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], key: String(i), parent: node });
    } else if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      const entries = Object.entries(value);
      const badKey = entries.find(([key]) => unstorable(key));
      if (badKey) return { path: pathOf(node, badKey[0]), character: unstorable(badKey[0])! };
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ value: entries[i]![1], key: entries[i]![0], parent: node });
    }
  }
  return undefined;
}

const escaped = (character: string): string => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Validates a payload against its contract; the first problem becomes an `invalid` error naming the field. */
export function parsePayload<C extends Contract<z.ZodType>>(contract: C, payload: unknown): PayloadOf<C> {
  const result = contract.schema.safeParse(payload);
  if (result.success) {
    const at = unstorableCharacterAt(result.data);
    if (at) {
      const field = at.path.join('.').replace(new RegExp(UNSTORABLE.source, 'g'), escaped);
      const what = at.character === '\0' ? 'a NUL character (\\u0000)' : `an unpaired UTF-16 surrogate (${escaped(at.character)}, not a character)`;
      throw new DomainError('invalid', `${field || 'payload'}: must not contain ${what}`, field || undefined);
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
