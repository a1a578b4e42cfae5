import { createHash } from 'node:crypto';
import { DomainError } from './errors';

/** Object keys in one order, so that two senders of the same payload (any language) agree. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What a fingerprint looks like (as commandFingerprint makes them): what a Postgres text and a NATS header keep. */
export const FINGERPRINT = /^[A-Za-z0-9_-]{1,64}$/;

/** A message's fingerprint, if it carries a well-formed one (it may be anything a publisher sent). */
export function fingerprintIn(envelope: unknown): string | undefined {
  const fingerprint = (envelope as { fingerprint?: unknown } | null)?.fingerprint;
  return typeof fingerprint === 'string' && FINGERPRINT.test(fingerprint) ? fingerprint : undefined;
}

/**
 * What tells one command from another sent under the same id: its payload, hashed with the
 * id (a payload may hold a secret; the id keeps its hash from being compared with anyone
 * else's). The same on both ends of the bus: JSON survives the trip.
 */
export function commandFingerprint(commandId: string, payload: unknown): string {
  const text = JSON.stringify(payload ?? null, sortedKeys);
  return createHash('sha256').update(`${commandId}\u0000${text}`).digest('base64url').slice(0, 32);
}

/**
 * A command id already used for another command (another payload): the first one's
 * outcome is not this one's, and this one is not run. Final, and never recorded (the id's
 * outcome is the first command's). The gateway says it in terms of Idempotency-Key.
 */
export class CommandIdReused extends DomainError {
  constructor(commandId: string) {
    super('invalid', `command id ${commandId} was used before for another command (another payload); send this one with a new id`, 'commandId');
  }
}

/**
 * The refusal of a command whose sender gave its fingerprint (CommandEnvelope) when its id
 * was recorded with another one. A record without one (from before fingerprints were kept,
 * or sent without) is taken as the same command.
 */
export function reusedIdRefusal(commandId: string, recorded: string | null | undefined, sent: string | undefined): CommandIdReused | undefined {
  return recorded && sent && recorded !== sent ? new CommandIdReused(commandId) : undefined;
}

/** Throws the refusal of `envelope` if its id was recorded with another fingerprint. */
export function refuseIfReused(recorded: string | null | undefined, envelope: { commandId: string; fingerprint?: string }): void {
  const reused = reusedIdRefusal(envelope.commandId, recorded, envelope.fingerprint);
  if (reused) throw reused;
}
