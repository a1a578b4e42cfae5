import { JetStreamApiCodes, JetStreamApiError, type JsMsg } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { decode, encode } from './codec';

/**
 * What a delivery of a stream message leaves for the next one (how many deliveries ended in an
 * outage, whether a refusal reached its sender): kept in OUTAGES for a week, per consumer and
 * stream message, the last word of each kind only, with the message's stored time, against a
 * stream deleted and made again (which reuses sequences).
 */
export const recordSubject = (bus: Bus, m: JsMsg, kind: string): string =>
  bus.subject(`outage.${m.info.stream}.${m.info.consumer}.${m.info.streamSequence}${kind ? `.${kind}` : ''}`);

/** The stored time a record is kept against: its message's. */
export const storedOf = (m: JsMsg): string => String(m.info.timestampNanos);

/** The last record on a subject of OUTAGES, with its sequence there; undefined when there is none. Throws when it cannot be read. */
export async function lastRecord<T extends object>(bus: Bus, subject: string): Promise<{ seq: number; record?: T & { stored?: unknown } } | undefined> {
  const found = await bus.jsm.streams.getMessage(bus.stream('OUTAGES'), { last_by_subj: subject }).catch((error: unknown) => {
    // No OUTAGES stream (an operator removed it; the services make it again as they start): nothing recorded.
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  if (!found) return undefined;
  try {
    return { seq: found.seq, record: decode<T & { stored?: unknown }>(found.data) ?? undefined };
  } catch {
    // Not a record this code wrote: it holds the subject's place, and says nothing.
    return { seq: found.seq };
  }
}

/** The message's record of a kind; undefined when none was written for this message. Throws when it cannot be read. */
export async function readMessageRecord<T extends object>(bus: Bus, m: JsMsg, kind: string): Promise<T | undefined> {
  const record = (await lastRecord<T>(bus, recordSubject(bus, m, kind)))?.record;
  return record?.stored === storedOf(m) ? record : undefined;
}

/** Writes the message's record of a kind, waiting at most two seconds for NATS to take it. */
export async function writeMessageRecord(bus: Bus, m: JsMsg, kind: string, record: object): Promise<void> {
  await bus.js.publish(recordSubject(bus, m, kind), encode({ ...record, stored: storedOf(m) }), { timeout: 2_000 });
}
