import type { JsMsg } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { readMessageRecord, writeMessageRecord } from './message-records';
import { shownError } from './shown-error';
import { DependencyDown } from './transient';

/**
 * Which command messages had their "retry shortly" refusal confirmed by the sender waiting for
 * it: its client was told the command did not happen, so this message must never carry it out.
 * Letting it go (its erasure, its ack) may still fail, or the process die first: the message is
 * delivered again then, with nobody waiting, and would run. Its next delivery reads this and
 * settles it as answered (a resend is another message: it runs). Only answered refusals write,
 * only redeliveries read. Kept as the message's record (message-records.ts).
 */
const KIND = 'answered';

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
