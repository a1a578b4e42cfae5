import { z } from 'zod';
import { CONTROL_CHARACTER, LONE_SURROGATE } from './characters';
import { FINGERPRINT } from './command-fingerprint';
import { DomainError, type SlipwayError } from './errors';
import { redactTextPatterns } from './redaction/text-patterns';
import { holdsTokenSecret, TOKEN_SECRET_PREFIX } from './redaction/token-secrets';
import { isoTime } from './time';

/** Who asked: the principal behind the token, or a service name for internal commands. */
export interface Actor {
  principal: string;
  kind: 'token' | 'service';
  /**
   * The access token a request carried, by its id (its SHA-256 hash, as /api/v1/tokens
   * lists it): several tokens may stand for one principal, and the log tells which acted.
   */
  tokenId?: string;
}

/** What travels on `cmd.*` subjects; `commandId` is also the JetStream `Nats-Msg-Id`. */
export interface CommandEnvelope<P = unknown> {
  commandId: string;
  correlationId: string;
  causationId?: string;
  actor: Actor;
  /** ISO-8601; deciders take time from here, never from the clock. */
  issuedAt: string;
  /**
   * ISO-8601: until when the sender waits for the reply. A "retry shortly" refusal after it
   * (or without it) would reach nobody, so the service retries the command itself. Before it,
   * the refusal comes as a request on `res.<commandId>`: a sender that got it responds (an
   * empty message), and only then is the command let go; unconfirmed, it is retried too.
   */
  repliesUntil?: string;
  /**
   * Set by a sender whose ids come from its clients (the gateway, for Idempotency-Key):
   * the payload's fingerprint (commandFingerprint). A command sent again under a recorded
   * id with another fingerprint is refused (CommandIdReused), not answered the first one's
   * outcome. Without it the id alone is the command, as in JetStream's dedupe: the ids a
   * service derives for its own steps name the step, whatever its payload is then.
   */
  fingerprint?: string;
  /**
   * Set by the transport that delivers the command (a sender's is replaced): the subject it
   * came on. An outcome recorded under the id for another subject is another command's.
   */
  subject?: string;
  payload: P;
}

/** What travels on `qry.*` subjects. */
export interface QueryEnvelope<P = unknown> {
  actor?: Actor;
  payload: P;
}

export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: SlipwayError };

/** A reply's value, or its refusal thrown again as the DomainError it was. */
export function replyValue<T>(reply: Reply<T>): T {
  if (!reply.ok) throw DomainError.from(reply.error);
  return reply.value;
}

export const replySubject = (commandId: string): string => `res.${commandId}`;

/**
 * What a command id may be. It becomes the reply subject (`res.<id>`), the JetStream
 * `Nats-Msg-Id` and a Postgres key: one or more NATS subject tokens (no spaces,
 * wildcards or control characters), 200 characters at most. Slipway's own are UUIDs,
 * `idem-<hex>` and `<kind>-<id>[:<step>]`.
 */
export const COMMAND_ID = /^[A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*$/;
export const MAX_COMMAND_ID_LENGTH = 200;
export const isCommandId = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_COMMAND_ID_LENGTH && COMMAND_ID.test(value);
export const COMMAND_ID_RULE = 'must be 1 to 200 letters, digits, "_", ":", "-" or "."-separated parts of them';
export const TOKEN_IN_ID_RULE = `must not hold a token's secret (${TOKEN_SECRET_PREFIX}…): ids are shown in the audit log`;
export const SECRET_IN_ID_RULE = 'must not hold what reads as a secret (a value after a secret\'s name, a URL\'s password): ids are kept in the audit log as they are';
/** Whether text holds what the redaction rules hide (`db-password:x`, a URL's password). */
export const readsAsSecret = (value: string): boolean => redactTextPatterns(value) !== value;

/**
 * The rule an id breaks (a command's, a correlation's, a causation's; an X-Correlation-Id), or
 * undefined. Ids name NATS subjects and Postgres keys as they are, and are shown in the audit
 * log, for every reader: a token's secret pasted as one would be too, and one that reads as a
 * secret is shown `[redacted]`, which a prefix filter of the audit would read back a
 * character at a time (probe).
 */
export function idRuleBroken(value: unknown): string | undefined {
  if (!isCommandId(value)) return COMMAND_ID_RULE;
  if (holdsTokenSecret(value)) return TOKEN_IN_ID_RULE;
  return readsAsSecret(value) ? SECRET_IN_ID_RULE : undefined;
}

const id = z.string().superRefine((value, context) => {
  const broken = idRuleBroken(value);
  if (broken) context.addIssue({ code: 'custom', message: broken });
});
/** Who a command is on behalf of: a token's principal or a service, as the audit shows it. */
export const principalName = z.string().min(1).max(200)
  .refine((name) => !CONTROL_CHARACTER.test(name), 'must hold no control characters')
  .refine((name) => !LONE_SURROGATE.test(name), 'must hold no unpaired UTF-16 surrogate')
  // Kept in the audit log as it is, for every reader (a command published on NATS names its own).
  .refine((name) => !holdsTokenSecret(name), `must not hold a token's secret (${TOKEN_SECRET_PREFIX}…): a principal's name is shown in the audit log`)
  .refine((name) => !readsAsSecret(name), 'must not hold what reads as a secret (a URL\'s password, a value after a secret\'s name): a principal\'s name is kept in the audit log as it is');
/** A command envelope as every service takes it (the payload is its contract's to check). */
export const commandEnvelope = z.object({
  commandId: id,
  correlationId: id,
  causationId: id.optional(),
  actor: z.object({ principal: principalName, kind: z.enum(['token', 'service']), tokenId: z.string().regex(/^[0-9a-f]{64}$/, 'must be a token id (64 hex digits)').optional() }),
  issuedAt: isoTime(),
  // Read to tell whether the sender still waits: one that is no time would read as nobody waiting.
  repliesUntil: isoTime().optional(),
  fingerprint: z.string().regex(FINGERPRINT, 'must be 1 to 64 letters, digits, "_" or "-"').optional(),
  payload: z.unknown(),
});
