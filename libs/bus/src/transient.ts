import { NewerProjectionRules } from '@slipway/event-log';

/**
 * Whether an error says a dependency is down or busy for now — Postgres unreachable,
 * restarting, out of connections, or a transaction that lost a serialization or deadlock
 * race — rather than that the work itself is wrong. Such work is retried for as long as
 * the outage lasts (settle-message.ts); counting it towards a message's deliveries would
 * dead-letter every command that arrived during an outage longer than the retry schedule.
 */
export function isTransient(error: unknown): boolean {
  return inCauseChain(error, isTransientItself);
}

/** Whether the error, or one of the first causes it wraps, is one `test` tells. */
function inCauseChain(error: unknown, test: (e: unknown) => boolean): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) if (test(e)) return true;
  return false;
}

function isTransientItself(e: unknown): boolean {
  if (e instanceof DependencyDown) return true;
  if (e instanceof AggregateError && e.errors.some(isTransient)) return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_SOCKET.has(code))) return true;
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && TRANSIENT_CLIENT_MESSAGE.test(message);
}

/**
 * SQLSTATE classes: 08 connection exception, 53 insufficient resources (too many
 * connections, out of memory or disk), 57P01-57P03 the server shutting down or starting,
 * 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 25P03 a transaction
 * ended by the server for sitting idle (this process stopped in it: database.ts).
 */
const TRANSIENT_SQLSTATE = /^(?:08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[123]|40001|40P01|55P03|25P03)$/;
const TRANSIENT_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/**
 * What node-postgres and its pool say, without a code, when the connection is gone (or a
 * server that took it never answered within the client's `connectionTimeoutMillis`).
 */
const TRANSIENT_CLIENT_MESSAGE = /^(?:Connection terminated|timeout exceeded when trying to connect|timeout expired$|Client has encountered a connection error|Connection ended unexpectedly)/;

/**
 * Thrown by a handler whose work is done (committed) but whose next step needs a dependency
 * that did not answer (the bus refusing a publish, say): the message is retried in place,
 * as during a Postgres outage, not counted as a failed delivery.
 */
export class DependencyDown extends Error {}

/**
 * Whether the work is not this instance's to do, though another's: in a rolling upgrade, an
 * instance of the version before, whose projection a newer one rebuilt with newer rules
 * (NewerProjectionRules). Handed back at once (settle-message.ts), not held: held, the
 * commands it takes would fill the consumer's places shared with the newer instances.
 */
export function leftToAnother(error: unknown): boolean {
  return inCauseChain(error, (e) => e instanceof NewerProjectionRules);
}
