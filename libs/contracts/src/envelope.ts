import { DomainError, type SlipwayError } from './errors';

/** Who asked: the principal behind the token, or a service name for internal commands. */
export interface Actor {
  principal: string;
  kind: 'token' | 'service';
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
   * (or without it) would reach nobody, so the service retries the command itself.
   */
  repliesUntil?: string;
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
  if (!reply.ok) throw new DomainError(reply.error.code, reply.error.message, reply.error.field);
  return reply.value;
}

export const replySubject = (commandId: string): string => `res.${commandId}`;
