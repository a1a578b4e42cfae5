import type { Bus } from './bus';
import { ATOMIC_BATCH_MIN, publishAtomically, type OutgoingMessage } from './atomic-batch';

/** The server takes at most 1,000 messages per atomic batch; stay well under its byte budget too. */
const ATOMIC_BATCH_MAX = 500;
const ATOMIC_BATCH_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Publishes messages to JetStream in the given order, each under its `Nats-Msg-Id`.
 * Many at once go as atomic batches: the server stores a batch with one fsync instead
 * of one per message (`sync_interval: always`), all or nothing, in order. A refused
 * batch — a duplicate inside it after a crash, a message too big — falls back to one
 * publish at a time, where the dedupe window drops what is already stored and a refusal
 * stops at that message, so nothing after it is stored before it.
 */
export async function publishInOrder(bus: Bus, messages: OutgoingMessage[]): Promise<void> {
  for (const chunk of bus.atomicBatches ? chunks(messages, (m) => m.data.length) : [messages]) {
    // Only to a server that stores batches: an older one would store the batch's messages as
    // they come, unacknowledged, then answer the commit as a lone message (and all go again).
    if (bus.atomicBatches && chunk.length >= ATOMIC_BATCH_MIN && (await publishAtomically(bus, chunk)).ack) continue;
    for (const m of chunk) await bus.js.publish(m.subject, m.data, { msgID: m.msgId });
  }
}

/** Splits messages into runs an atomic batch takes: by count and by bytes. */
export function chunks<M>(messages: M[], bytesOf: (m: M) => number): M[][] {
  const out: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const m of messages) {
    if (current.length === ATOMIC_BATCH_MAX || (current.length > 0 && bytes + bytesOf(m) > ATOMIC_BATCH_MAX_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += bytesOf(m);
  }
  if (current.length) out.push(current);
  return out;
}
