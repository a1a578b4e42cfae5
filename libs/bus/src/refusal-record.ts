import { setTimeout as pause } from 'node:timers/promises';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { encode } from './codec';

/**
 * A command message's record of whether its "retry shortly" reached a client, on its own
 * subject of OUTAGES, and how it is written: on top of the record last read, or not at all
 * (the protocol: answered-refusals.ts; a resend's claim: refusal-claims.ts).
 */
export const KIND = 'refusal';
const LEGACY_KIND = 'answered';

type State = 'asked' | 'answered' | 'runs';

export interface RefusalRecord {
  state: State;
  /** Who claimed a run: a resend that read the refusal (claimRun), whose client waits for the outcome. */
  by?: 'resend';
  /** The sequence of the record this one was written on top of. */
  after?: number;
  stored?: string;
}

/** How long one write waits for JetStream. */
export const WRITE_WAIT_MS = 2_000;

/**
 * What `step` decides, tried until it does or `waitMs` have passed (then `unknown`): a step
 * that throws (JetStream not answering) is tried again after a moment, one that resolves to
 * undefined (another record stored first) at once. `left`: how long it may still wait.
 */
export async function decideWithin<T>(waitMs: number, step: (left: () => number) => Promise<T | undefined>): Promise<T | 'unknown'> {
  const giveUpAt = Date.now() + waitMs;
  const left = () => giveUpAt - Date.now();
  while (left() > 0) {
    try {
      const decided = await step(left);
      if (decided !== undefined) return decided;
    } catch {
      await pause(Math.min(100, Math.max(0, left())));
    }
  }
  return 'unknown';
}

/** How long one write may wait with `left` to go: WRITE_WAIT_MS at most. */
export const writeWait = (left: number): number => Math.max(1, Math.min(WRITE_WAIT_MS, left));

/** A record written on top of the last one, or not: another was stored on top of it first. Throws when JetStream did not answer. */
export async function writeOnTop(bus: Bus, subject: string, expected: number, record: RefusalRecord, timeoutMs = WRITE_WAIT_MS): Promise<number | 'lost'> {
  try {
    return (await bus.js.publish(subject, encode(record), { expect: { lastSubjectSequence: expected }, timeout: timeoutMs })).seq;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) return 'lost';
    throw error;
  }
}

/** The version before's record that the refusal was answered, which its services read (message-records.ts). */
export const legacySubjectOf = (subject: string): string => `${subject.slice(0, -KIND.length)}${LEGACY_KIND}`;

/** Writes the version before's record that the refusal was answered. Throws when JetStream did not take it. */
export async function writeLegacyAnswered(bus: Bus, subject: string, stored: string, timeoutMs = WRITE_WAIT_MS): Promise<void> {
  await bus.js.publish(legacySubjectOf(subject), encode({ stored }), { timeout: timeoutMs });
}

/** Only a record subject of this bus: what a status or a header says is never a licence to write elsewhere. */
export const isRecordSubject = (bus: Bus, subject: string): boolean => subject.startsWith(bus.subject('outage.')) && subject.endsWith(`.${KIND}`);
