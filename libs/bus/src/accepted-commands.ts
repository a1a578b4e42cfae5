import { createHash } from 'node:crypto';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { decode, encode } from './codec';
import { within } from './within';

/**
 * What a sender that stopped waiting for a command's answer (a 202) records: JetStream holds
 * the command, so a status read answers "pending" for it, and "unknown" for an id that no
 * sender handed over this way and that has no outcome (a typo, or a command never sent).
 * Only the slow path writes here, so the command path keeps one stored message per command.
 */
const subjectOf = (bus: Bus, commandId: string) =>
  bus.subject(`acc.${createHash('sha256').update(commandId).digest('hex')}`);

/** What is kept of a command answered 202: with its fingerprint, if its sender gave one (CommandEnvelope). */
export interface AcceptedCommand {
  commandId: string;
  subject: string;
  acceptedAt: string;
  fingerprint?: string;
}

/**
 * `fingerprint`: what the command is (its sender's copy is the one JetStream holds).
 * `onlyIfNone`: a sender whose copy JetStream dropped records only that the id is pending,
 * never over the record of the sender whose copy it holds. `timeoutMs`: how long the record
 * may hold its sender (the client's default otherwise).
 */
export async function markAccepted(
  bus: Bus, commandId: string, commandSubject: string,
  { fingerprint, onlyIfNone = false, timeoutMs }: { fingerprint?: string; onlyIfNone?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  const record: AcceptedCommand = { commandId, subject: commandSubject, acceptedAt: new Date().toISOString(), ...(fingerprint ? { fingerprint } : {}) };
  await bus.js.publish(subjectOf(bus, commandId), encode(record), { ...(onlyIfNone ? { expect: { lastSubjectSequence: 0 } } : {}), ...(timeoutMs ? { timeout: timeoutMs } : {}) });
}

/**
 * How long past its first try a 202's record is retried before the 202 goes without it: a
 * NATS server killed and restarted (its supervisor's first restart comes after a second) is
 * back within this, and a status URL that reads "never answered 202" until the outcome would
 * send its client to resend the command under another id.
 */
export const ACCEPTED_RECORD_RETRY_MS = 15_000;
const RETRY_PAUSE_MS = 250;

/**
 * markAccepted, tried again until JetStream takes it or `ACCEPTED_RECORD_RETRY_MS` has passed
 * (only while NATS does not answer: a refusal is final); each try waits `timeoutMs` at most. Resolves to whether it is recorded (also when another
 * sender's record of the id stands, for `onlyIfNone`).
 */
export async function recordAccepted(
  bus: Bus, commandId: string, commandSubject: string, record: { fingerprint?: string; onlyIfNone?: boolean }, timeoutMs: number,
): Promise<boolean> {
  const giveUpAt = Date.now() + ACCEPTED_RECORD_RETRY_MS;
  for (let tried = false; !tried || Date.now() < giveUpAt; tried = true) {
    if (tried) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    const outcome = await markAccepted(bus, commandId, commandSubject, { ...record, timeoutMs: Math.max(1, Math.min(timeoutMs, giveUpAt - Date.now())) }).then(
      () => 'recorded' as const,
      (error: unknown) => {
        // A record of the id stands already: an earlier try of this one was taken after all, or another sender's.
        if (record.onlyIfNone === true && error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) return 'recorded' as const;
        // JetStream's refusal of the record itself (not a 5xx, which passes), or this process
        // closing its connection, will not change by trying again.
        return (error instanceof JetStreamApiError && error.status < 500) || bus.nc.isClosed() || bus.nc.isDraining() ? 'refused' as const : 'not yet' as const;
      },
    );
    if (outcome !== 'not yet') return outcome === 'recorded';
  }
  return false;
}

/** The record of a command answered 202, if any; unanswered within `timeoutMs`, a failure (as a refused read is). */
export async function acceptedRecord(bus: Bus, commandId: string, timeoutMs?: number): Promise<AcceptedCommand | undefined> {
  const read = bus.jsm.streams.getMessage(bus.stream('ACCEPTED'), { last_by_subj: subjectOf(bus, commandId) });
  const found = timeoutMs === undefined ? await read : await within(read, timeoutMs, 'the ACCEPTED stream');
  return found ? decode<AcceptedCommand>(found.data) : undefined;
}
