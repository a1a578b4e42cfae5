import { commandEnvelope, cutShort, DomainError, unstorableValueAt, type CommandEnvelope, type Contract, type PayloadOf, type QueryEnvelope, type Reply } from '@slipway/contracts';
import { decodeSent } from './codec';
import { errorReply } from './reply';
import { REFUSAL_RETRIES_SPAN_MS } from './settlement';
import type { z } from 'zod';

/** Validates a payload against its contract; the first problem becomes an `invalid` error naming the field. */
export function parsePayload<C extends Contract<z.ZodType>>(contract: C, payload: unknown): PayloadOf<C> {
  // Before the schema, which would drop a `__proto__` key without a word.
  const at = unstorableValueAt(payload);
  if (at) throw new DomainError('invalid', `${at.field || 'payload'}: ${at.reason}`, at.field || undefined);
  const result = contract.schema.safeParse(payload);
  if (result.success) return result.data as PayloadOf<C>;
  const issue = result.error.issues[0]!;
  const field = shownPath(issue.path);
  const message = issue.code === 'unrecognized_keys'
    ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.slice(0, SHOWN_KEYS).map((k) => `"${shownPath([...issue.path, k])}"`).join(', ')}${issue.keys.length > SHOWN_KEYS ? ` and ${issue.keys.length - SHOWN_KEYS} more` : ''}`
    // A record's refused key: the key schema's own message says the rule, not "Invalid key in record".
    : `${field || 'payload'}: ${issue.code === 'invalid_key' ? issue.issues[0]?.message ?? issue.message : issue.message}`;
  throw new DomainError('invalid', message, issue.code === 'unrecognized_keys' ? shownPath([...issue.path, issue.keys[0]!]) : field || undefined);
}

/** How many unknown fields a refusal names: the first few tell the sender what is wrong. */
const SHOWN_KEYS = 10;
/** How much of a field's path a refusal quotes: a key of megabytes made a reply the bus could not carry. */
const SHOWN_PATH_CHARACTERS = 200;

const shownPath = (path: readonly PropertyKey[]): string => cutShort(path.map(String).join('.'), SHOWN_PATH_CHARACTERS);

/**
 * How far a command's `issuedAt` may be ahead of the clock of the service handling it: two
 * machines' clocks differ, by minutes at worst. Deciders take their time from it, so a
 * sender's clock years ahead would date the command's events (and the audit) in the future.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * How long before it reached the bus a command may have been issued. A sender dates a command
 * as it sends it (CommandBus, a resend after "retry shortly" keeping its time); one dated
 * days before, 1970 say, would put its events out of the audit's time filters. Waiting in
 * JetStream does not count: the bound is from the time the stream took it, so a command that
 * waits out an outage of Postgres is handled whenever it ends.
 */
export const ISSUED_BEFORE_SENT_MS = 24 * 3600_000;

/**
 * A command refused for its date ("retry shortly"): a clock is wrong, which is the
 * installation's fault, not the command's, so the refusal is never its outcome, not even
 * once the bus has given up retrying it (it is dead-lettered then, for a redrive that dates
 * it anew).
 */
export class ClockRefusal extends DomainError {
  /**
   * `senders`: judged against the bus's clock (when JetStream took the command), so the
   * sender's clock is the wrong one, which no retry mends; else against this service's own,
   * which another instance's may not share.
   */
  constructor(message: string, readonly senders = false) {
    super('unavailable', message, 'issuedAt');
  }
}

/**
 * Why a message is not a command envelope (ids, actor, times), as its refusal; undefined when
 * it is one. `storedAt`: when JetStream took the message (ms), for the bound on its age.
 */
export function envelopeRefusal(envelope: unknown, now = Date.now(), storedAt?: number): DomainError | undefined {
  const checked = commandEnvelope.safeParse(envelope);
  if (checked.success) {
    const issuedAt = Date.parse(checked.data.issuedAt);
    const before = storedAt === undefined ? 0 : storedAt - issuedAt;
    // Not final, as a date ahead is not: a clock behind (the sender's, or ahead, the NATS
    // server's) must not leave the refusal as the outcome of ids its retries will use.
    if (before > ISSUED_BEFORE_SENT_MS) {
      return new ClockRefusal(`issuedAt is ${Math.round(before / 3600_000)} hours before the command reached the bus (at most ${ISSUED_BEFORE_SENT_MS / 3600_000}): a command is dated when it is sent, or a clock is wrong`, true);
    }
    const ahead = issuedAt - now;
    if (ahead <= CLOCK_SKEW_MS) return undefined;
    // Ahead of the bus's clock too, as JetStream took it: the sender's clock, which no retry
    // mends, unless it is near enough for the bus's retries (51 s: settlement.ts) to reach it.
    const aheadOfBus = storedAt === undefined ? 0 : issuedAt - storedAt;
    if (aheadOfBus > CLOCK_SKEW_MS && ahead > CLOCK_SKEW_MS + REFUSAL_RETRIES_SPAN_MS) {
      return new ClockRefusal(`issuedAt is ${Math.round(aheadOfBus / 1000)} s ahead of when the command reached the bus (more than ${CLOCK_SKEW_MS / 60_000} minutes): the sender's clock is wrong; send it again once it is right`, true);
    }
    // Not final: a clock that is wrong is the installation's fault, not the request's, and
    // a command refused for it must not keep the refusal as its outcome once it is mended.
    return new ClockRefusal(`issuedAt is ${Math.round(ahead / 1000)} s ahead of this service's clock (more than ${CLOCK_SKEW_MS / 60_000} minutes): a clock is wrong; retry once it is right`);
  }
  const issue = checked.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  return new DomainError('invalid', `not a command envelope: ${field || 'envelope'}: ${issue.message}`);
}

/**
 * A command's payload, checked against its contract. The envelope around it was checked by
 * the transport before any handler ran (envelopeRefusal), once for every handler.
 */
export function parseCommand<C extends Contract<z.ZodType>>(contract: C, envelope: CommandEnvelope): PayloadOf<C> {
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
    ...(envelope.actor.tokenId ? { tokenId: envelope.actor.tokenId } : {}),
    issuedAt: envelope.issuedAt,
    ...(envelope.fingerprint ? { fingerprint: envelope.fingerprint } : {}),
  };
}

/** A query's envelope, or its sender's fault: a body that is not JSON (UTF-8, each key once) is refused, not a failure of the service. */
export function decodedQuery(data: Uint8Array): Reply<unknown> {
  try {
    return { ok: true, value: decodeSent(data) };
  } catch (error) {
    return errorReply(new DomainError('invalid', `a query is a JSON envelope ({"payload": ...}): ${(error as Error).message}`));
  }
}
