import { JetStreamApiCodes, JetStreamApiError, type JsMsg } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { decode, encode } from './codec';

/**
 * What a delivery of a stream message leaves for the next one (how many deliveries ended in an
 * outage, that a refusal reached its sender): kept in OUTAGES for a week, per consumer and
 * stream message, the last word of each kind only, with the message's stored time, against a
 * stream deleted and made again (which reuses sequences).
 */
const subjectOf = (bus: Bus, m: JsMsg, kind: string) =>
  bus.subject(`outage.${m.info.stream}.${m.info.consumer}.${m.info.streamSequence}${kind ? `.${kind}` : ''}`);

/** The message's record of a kind; undefined when none was written for this message. Throws when it cannot be read. */
export async function readMessageRecord<T extends object>(bus: Bus, m: JsMsg, kind: string): Promise<T | undefined> {
  const found = await bus.jsm.streams.getMessage(bus.stream('OUTAGES'), { last_by_subj: subjectOf(bus, m, kind) }).catch((error: unknown) => {
    // No OUTAGES stream (an operator removed it; the services make it again as they start): nothing recorded.
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  if (!found) return undefined;
  try {
    const record = decode<T & { stored?: unknown }>(found.data);
    return record?.stored === String(m.info.timestampNanos) ? record : undefined;
  } catch {
    // Not a record this code wrote: none.
    return undefined;
  }
}

/** Writes the message's record of a kind, waiting at most two seconds for NATS to take it. */
export async function writeMessageRecord(bus: Bus, m: JsMsg, kind: string, record: object): Promise<void> {
  await bus.js.publish(subjectOf(bus, m, kind), encode({ ...record, stored: String(m.info.timestampNanos) }), { timeout: 2_000 });
}
