import { JetStreamApiCodes, JetStreamApiError, type JsMsg } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { decode, encode } from './codec';

/**
 * What a delivery of a stream message leaves for the next one (how many deliveries ended in an
 * outage, that a refusal reached its sender): kept in OUTAGES for a week, per consumer and
 * stream message, the last word of each kind only, with the message's stored time, against a
 * stream deleted and made again (which reuses sequences).
 */
export interface MessageRecordAddress {
  subject: string;
  /** The message's stored time (nanoseconds), which a record must carry to be the message's. */
  stored: string;
}

/** Where the message's record of a kind is kept. */
export const messageRecordAddress = (bus: Bus, m: JsMsg, kind: string): MessageRecordAddress => ({
  subject: bus.subject(`outage.${m.info.stream}.${m.info.consumer}.${m.info.streamSequence}${kind ? `.${kind}` : ''}`),
  stored: String(m.info.timestampNanos),
});

/** The message's record of a kind; undefined when none was written for this message. Throws when it cannot be read. */
export function readMessageRecord<T extends object>(bus: Bus, m: JsMsg, kind: string): Promise<T | undefined> {
  return readRecordAt<T>(bus, messageRecordAddress(bus, m, kind));
}

export async function readRecordAt<T extends object>(bus: Bus, address: MessageRecordAddress): Promise<T | undefined> {
  const found = await bus.jsm.streams.getMessage(bus.stream('OUTAGES'), { last_by_subj: address.subject }).catch((error: unknown) => {
    // No OUTAGES stream (an operator removed it; the services make it again as they start): nothing recorded.
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  if (!found) return undefined;
  try {
    const record = decode<T & { stored?: unknown }>(found.data);
    return record?.stored === address.stored ? record : undefined;
  } catch {
    // Not a record this code wrote: none.
    return undefined;
  }
}

/** Writes the message's record of a kind, waiting at most two seconds for NATS to take it. */
export function writeMessageRecord(bus: Bus, m: JsMsg, kind: string, record: object): Promise<void> {
  return writeRecordAt(bus, messageRecordAddress(bus, m, kind), record);
}

export async function writeRecordAt(bus: Bus, address: MessageRecordAddress, record: object): Promise<void> {
  await bus.js.publish(address.subject, encode({ ...record, stored: address.stored }), { timeout: 2_000 });
}
