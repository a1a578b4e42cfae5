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
 * A command id already used for another command (another payload or subject): the first one's
 * outcome is not this one's, and this one is not run. Final, and never recorded (the id's
 * outcome is the first command's). The gateway says it in terms of Idempotency-Key.
 */
export class CommandIdReused extends DomainError {
  constructor(commandId: string) {
    super('invalid', `command id ${commandId} was used before for another command (another payload, or another kind of command); send this one with a new id`, 'commandId');
  }
}

/** What identifies a command beyond its id: where it was sent, and its payload's fingerprint. */
export interface CommandIdentity {
  subject?: string;
  fingerprint?: string | null;
}

/**
 * The refusal of a command sent under an id recorded for another command: one on another
 * subject (another contract), or — where both senders gave a fingerprint (CommandEnvelope)
 * — with another payload. A record without a fingerprint (from before fingerprints were
 * kept, or sent without) is taken as the same command when its subject is the same.
 */
export function reusedIdRefusal(commandId: string, recorded: CommandIdentity | undefined, sent: CommandIdentity): CommandIdReused | undefined {
  if (!recorded) return undefined;
  const otherSubject = recorded.subject !== undefined && sent.subject !== undefined && recorded.subject !== sent.subject;
  const otherPayload = !!recorded.fingerprint && !!sent.fingerprint && recorded.fingerprint !== sent.fingerprint;
  return otherSubject || otherPayload ? new CommandIdReused(commandId) : undefined;
}

/** Throws the refusal of `envelope` if its id was recorded for another command. */
export function refuseIfReused(recorded: CommandIdentity | undefined, envelope: CommandIdentity & { commandId: string }): void {
  const reused = reusedIdRefusal(envelope.commandId, recorded, envelope);
  if (reused) throw reused;
}
