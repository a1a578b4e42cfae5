import type { JsMsg } from '@nats-io/jetstream';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { decode, encode } from './codec';

/**
 * Which command messages had their "retry shortly" refusal confirmed by the sender waiting for
 * it: its client was told the command did not happen, so this message must never carry it out.
 * Letting it go (its erasure, its ack) may still fail, or the process die first: the message is
 * delivered again then, with nobody waiting, and would run. Its next delivery reads this and
 * settles it as answered (a resend is another message: it runs). Only answered refusals write,
 * only redeliveries read. Kept beside a message's outage record (OUTAGES, a week), per consumer
 * and stream message, with its stored time against a stream made again.
 */
const subjectOf = (bus: Bus, m: JsMsg) => bus.subject(`outage.${m.info.stream}.${m.info.consumer}.${m.info.streamSequence}.answered`);

interface AnsweredRefusal {
  /** The message's stored time, in nanoseconds: a stream deleted and made again reuses sequences. */
  stored: string;
}

/** Whether an earlier delivery of the message had its refusal confirmed. Throws when that cannot be read. */
export async function refusalAnswered(bus: Bus, m: JsMsg): Promise<boolean> {
  if (m.info.deliveryCount <= 1) return false;
  const found = await bus.jsm.streams.getMessage(bus.stream('OUTAGES'), { last_by_subj: subjectOf(bus, m) }).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  try {
    return found !== null && decode<AnsweredRefusal>(found.data).stored === String(m.info.timestampNanos);
  } catch {
    return false;
  }
}

/** How often the record is tried: NATS just answered the sender's confirmation, so rarely more than once. */
const ATTEMPTS = 3;

/** Records that the message's refusal was confirmed by its sender. Resolves to whether it was recorded. */
export async function recordRefusalAnswered(bus: Bus, m: JsMsg): Promise<boolean> {
  const record: AnsweredRefusal = { stored: String(m.info.timestampNanos) };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const recorded = await bus.js.publish(subjectOf(bus, m), encode(record), { timeout: 2_000 }).then(() => true, () => false);
    if (recorded) return true;
  }
  return false;
}
