import { errors, headers, nuid } from '@nats-io/nats-core';
import type { Bus } from './bus';
import { PUBLISH_WAIT_MS } from './publish-waits';

export interface OutgoingMessage {
  subject: string;
  data: Uint8Array;
  msgId: string;
  /** When its sender wants to know whether JetStream took it (epoch ms); publishes wait within it (publish-waits.ts). */
  answerBy?: number;
}

/** What the server answers a batch's commit with: the last message's sequence and the count. */
export interface BatchAck { stream: string; seq: number; count: number }

/** A batch the server refused, or did not answer in time (it may then have stored it). */
export interface BatchNotTaken { ack?: undefined; unanswered: boolean }

/**
 * Below this many messages, one publish each costs the server less: a single-replica
 * file stream stages every atomic batch in a file store of its own, created and removed
 * per batch (~2 ms of server CPU). Measured with 64 publishers, server CPU per message
 * stored and acked from a work queue: alone 301 µs; in batches of 8 376 µs, of 16 237 µs,
 * of 32 195 µs (docs/benchmarks.md).
 */
export const ATOMIC_BATCH_MIN = 12;

/**
 * Publishes messages as one JetStream atomic batch in a single round trip: every message
 * but the last goes without a reply subject (the server answers nothing for them), the
 * last carries the commit and is a request. The server stores the whole batch, in
 * order, with one fsync — or none of it. (The client library's `startBatch` waits for
 * an answer to the first message as well, a second round trip per batch.)
 * Returns the commit's ack, or why there is none: refused (a duplicate `Nats-Msg-Id` inside
 * it, too many batches in flight, a message too big), or not answered in time.
 */
export async function publishAtomically(bus: Bus, batch: OutgoingMessage[], timeoutMs = PUBLISH_WAIT_MS): Promise<{ ack: BatchAck; unanswered?: undefined } | BatchNotTaken> {
  const id = nuid.next();
  const headersOf = (m: OutgoingMessage, sequence: number) => {
    const h = headers();
    h.set('Nats-Msg-Id', m.msgId);
    h.set('Nats-Batch-Id', id);
    h.set('Nats-Batch-Sequence', String(sequence));
    return h;
  };
  const last = batch.length - 1;
  try {
    // Inside the try: the client throws at once for a message over the server's
    // max_payload or a draining connection; the batch is then refused, not lost.
    for (let i = 0; i < last; i++) bus.nc.publish(batch[i]!.subject, batch[i]!.data, { headers: headersOf(batch[i]!, i + 1) });
    const commit = headersOf(batch[last]!, last + 1);
    commit.set('Nats-Batch-Commit', '1');
    const answer = await bus.nc.request(batch[last]!.subject, batch[last]!.data, { headers: commit, timeout: timeoutMs });
    const ack = answer.json<Partial<BatchAck> & { error?: unknown }>();
    return !ack.error && ack.count === batch.length && typeof ack.seq === 'number' ? { ack: ack as BatchAck } : { unanswered: false };
  } catch (error) {
    return { unanswered: error instanceof errors.TimeoutError };
  }
}
