import type { Bus } from './bus';
import { ATOMIC_BATCH_MIN, publishAtomically, type OutgoingMessage } from './atomic-batch';
import { chunks } from './publish-in-order';

export interface PublishAck { stream: string; seq: number; duplicate: boolean }

interface Waiting { message: OutgoingMessage; resolve: (ack: PublishAck) => void; reject: (error: unknown) => void }

/**
 * Group commit for JetStream publishes that need not keep an order between them (the
 * gateway's commands). Whatever is published while earlier batches are being stored
 * waits and goes in the next one; a batch big enough to be worth it (ATOMIC_BATCH_MIN)
 * goes as an atomic batch: one fsync and one answer for all of them instead of one each.
 * A lone message goes at once, so an idle system pays no delay. A refused batch (a resent command's duplicate `Nats-Msg-Id` refuses
 * the whole batch) is published again one message at a time, where each gets its own
 * answer: stored, duplicate, or an error.
 */
export class GroupPublisher {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly bus: Bus, private readonly maxInFlight = 2) {}

  publish(message: OutgoingMessage): Promise<PublishAck> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      // At the end of this turn of the event loop: requests read from other sockets in the
      // same turn join the batch (a microtask would send each alone).
      if (this.inFlight < this.maxInFlight) setImmediate(() => this.next());
    });
  }

  private next(): void {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const batch = chunks(this.queue, (w) => w.message.data.length)[0]!;
    this.queue.splice(0, batch.length);
    this.inFlight++;
    void this.send(batch).finally(() => {
      this.inFlight--;
      this.next();
    });
  }

  private async send(batch: Waiting[]): Promise<void> {
    if (batch.length >= ATOMIC_BATCH_MIN && this.bus.atomicBatches) {
      const ack = await publishAtomically(this.bus, batch.map((w) => w.message));
      if (ack) {
        batch.forEach((w, i) => w.resolve({ stream: ack.stream, seq: ack.seq - (batch.length - 1 - i), duplicate: false }));
        return;
      }
    }
    await Promise.all(batch.map(({ message, resolve, reject }) =>
      this.bus.js.publish(message.subject, message.data, { msgID: message.msgId }).then(resolve, reject)));
  }
}
