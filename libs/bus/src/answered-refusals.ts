import { JetStreamApiError, type JsMsg } from '@nats-io/jetstream';
import type { Msg, MsgHdrs } from '@nats-io/nats-core';
import type { Bus } from './bus';
import { messageRecordAddress, readMessageRecord, readRecordAt, writeMessageRecord, writeRecordAt, type MessageRecordAddress } from './message-records';
import { shownError } from './shown-error';
import { DependencyDown } from './transient';

/**
 * Which command messages had their "retry shortly" refusal confirmed by the sender waiting for
 * it: its client was told the command did not happen, so this message must never carry it out.
 * Letting it go (its erasure, its ack) may still fail, or the process die first: the message is
 * delivered again then, with nobody waiting, and would run. Its next delivery reads this and
 * settles it as answered (a resend is another message: it runs). Kept as the message's record
 * (message-records.ts), written by the sender before it confirms (so that no moment is left
 * between its confirmation and the record in which the service could die), and by the service
 * again once confirmed (a sender of an older version writes none). Only redeliveries read.
 */
const KIND = 'answered';

/** Where the service asks its sender to write the record, on the answer it asks to be confirmed. */
const RECORD_SUBJECT_HEADER = 'Slipway-Answered-Record';
const RECORD_STORED_HEADER = 'Slipway-Answered-Stored';

/**
 * Whether an earlier delivery of the message had its refusal confirmed. Unreadable, it is a
 * dependency down: the work is retried in place, as in an outage, never run on a guess.
 */
export async function refusalAnswered(bus: Bus, m: JsMsg): Promise<boolean> {
  if (m.info.deliveryCount <= 1) return false;
  try {
    return (await readMessageRecord(bus, m, KIND)) !== undefined;
  } catch (error) {
    throw new DependencyDown(`whether the refusal of ${m.subject} reached its sender could not be read: ${shownError(error)}`, { cause: error });
  }
}

/** How often the record is tried: NATS just answered the sender's confirmation, so rarely more than once. */
const ATTEMPTS = 3;

/** Records that the message's refusal was confirmed by its sender. Resolves to whether it was recorded. */
export async function recordRefusalAnswered(bus: Bus, m: JsMsg): Promise<boolean> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (await writeMessageRecord(bus, m, KIND, {}).then(() => true, () => false)) return true;
  }
  return false;
}

/** Asks the sender of the message's command, on the answer to be confirmed, to write the record first. */
export function askToRecordAnswer(bus: Bus, m: JsMsg, headers: MsgHdrs): MsgHdrs {
  const { subject, stored } = messageRecordAddress(bus, m, KIND);
  headers.set(RECORD_SUBJECT_HEADER, subject);
  headers.set(RECORD_STORED_HEADER, stored);
  return headers;
}

/**
 * What became of the record an answer asks its sender to write: `recorded` (JetStream took
 * it, or the answer asks for none: a service of an older version records it itself), `absent`
 * (surely not written: JetStream refused it, or the address is not one of these records, as
 * a publisher on NATS does not choose what is written where), `unknown` (not acknowledged in
 * time, and not found either: JetStream may still store it).
 */
export type AnswerRecord = 'recorded' | 'absent' | 'unknown';

/**
 * The sender's side, before it confirms an answer and tells its waiters: writes the record the
 * answer asks for. Only `recorded` may be confirmed and told as refused. `absent`: the command
 * is delivered again and runs, so it is told as queued (202). `unknown`: it may run or not, by
 * whether JetStream stores the record after all, so it is told so (503, "may still be carried out").
 */
export async function recordAnswerHeld(bus: Bus, answer: Pick<Msg, 'headers'>): Promise<AnswerRecord> {
  const subject = answer.headers?.get(RECORD_SUBJECT_HEADER);
  const stored = answer.headers?.get(RECORD_STORED_HEADER);
  if (!subject && !stored) return 'recorded';
  const address = { subject: subject ?? '', stored: stored ?? '' };
  if (!isAnsweredRecordAddress(bus, address)) return 'absent';
  try {
    await writeRecordAt(bus, address, {});
    return 'recorded';
  } catch (error) {
    if (error instanceof JetStreamApiError) return 'absent';
    // Not acknowledged in time: NATS may have stored it all the same. Found, it is; not found
    // (or not read), it may yet be.
    return readRecordAt(bus, address).then((found) => (found !== undefined ? 'recorded' : 'unknown'), () => 'unknown');
  }
}

function isAnsweredRecordAddress(bus: Bus, { subject, stored }: MessageRecordAddress): boolean {
  const prefix = bus.subject('outage.');
  return subject.startsWith(prefix) && subject.endsWith(`.${KIND}`) && /^[\w-]+(\.[\w-]+)*$/.test(subject.slice(prefix.length)) && /^\d{1,30}$/.test(stored);
}
