import { headers } from '@nats-io/nats-core';
import type { Bus } from './bus';

export interface OrderedMessage { subject: string; data: Uint8Array; msgId: string }

/** Below this many messages one publish each is cheaper than an atomic batch (measured: docs/benchmarks.md). */
export const ATOMIC_BATCH_MIN = 16;
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
export async function publishInOrder(bus: Bus, messages: OrderedMessage[]): Promise<void> {
  for (const chunk of bus.atomicBatches ? chunks(messages) : [messages]) {
    if (chunk.length >= ATOMIC_BATCH_MIN && (await publishAtomically(bus, chunk))) continue;
    for (const m of chunk) await bus.js.publish(m.subject, m.data, { msgID: m.msgId });
  }
}

function chunks(messages: OrderedMessage[]): OrderedMessage[][] {
  const out: OrderedMessage[][] = [];
  let current: OrderedMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    if (current.length === ATOMIC_BATCH_MAX || (current.length > 0 && bytes + m.data.length > ATOMIC_BATCH_MAX_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += m.data.length;
  }
  if (current.length) out.push(current);
  return out;
}

/** True when the server stored the whole batch; false when it refused it (nothing stored). */
async function publishAtomically(bus: Bus, batch: OrderedMessage[]): Promise<boolean> {
  const withId = (m: OrderedMessage) => {
    const h = headers();
    h.set('Nats-Msg-Id', m.msgId);
    return { headers: h };
  };
  try {
    const [first, ...rest] = batch;
    const last = rest.pop()!;
    const publisher = await bus.js.startBatch(first!.subject, first!.data, withId(first!));
    for (const m of rest) publisher.add(m.subject, m.data, { ...withId(m), ack: false });
    const ack = await publisher.commit(last.subject, last.data, withId(last));
    return ack.count === batch.length;
  } catch {
    return false;
  }
}
