import { errors } from '@nats-io/nats-core';
import type { Bus } from './bus';
import { ATOMIC_BATCH_MIN, publishAtomically, type OutgoingMessage } from './atomic-batch';
import { chunks } from './publish-in-order';
import { batchWait, LEAST_PUBLISH_WAIT_MS, publishWait } from './publish-waits';

export interface PublishAck {
  stream: string;
  seq: number;
  duplicate: boolean;
  /**
   * Not answered in time at first, then a duplicate when published again: the copy held is
   * this publish's own (stored, its answer lost) or an earlier one's under the id; which,
   * only the command's status can tell.
   */
  unconfirmed?: boolean;
}

/** A publish whose fate is unknown: not answered in time, nor when published again under its id. It may be stored. */
export class PublishUnconfirmed extends Error {
  override readonly name = 'PublishUnconfirmed';
}

interface Waiting { message: OutgoingMessage; resolve: (ack: PublishAck) => void; reject: (error: unknown) => void }

/**
 * Group commit for JetStream publishes that need not keep an order between them (the
 * gateway's commands). What is published in one turn of the event loop (the requests
 * read from every socket in that turn) is looked at together: fewer than ATOMIC_BATCH_MIN
 * go at once, one publish each, so a lightly loaded system waits for nothing; more go as
 * an atomic batch, one fsync and one answer for all of them, and while `maxInFlight`
 * batches are being stored the next ones wait and grow. A refused batch (a resent
 * command's duplicate `Nats-Msg-Id` refuses the whole batch) is published again one
 * message at a time, where each gets its own answer: stored, duplicate, or an error.
 */
export class GroupPublisher {
  private queue: Waiting[] = [];
  private batchesInFlight = 0;
  private scheduled = false;

  constructor(private readonly bus: Bus, private readonly maxInFlight = 2) {}

  publish(message: OutgoingMessage): Promise<PublishAck> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      // At the end of this turn, not in a microtask: requests read from other sockets in
      // the same turn join this one.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.bus.atomicBatches && this.queue.length >= ATOMIC_BATCH_MIN && this.batchesInFlight < this.maxInFlight) {
      const batch = chunks(this.queue, (w) => w.message.data.length)[0]!;
      this.queue.splice(0, batch.length);
      this.batchesInFlight++;
      void this.publishBatch(batch).finally(() => {
        this.batchesInFlight--;
        this.flush();
      });
    }
    // Too few to be worth a batch (or waiting for none): each goes now.
    if (this.queue.length < ATOMIC_BATCH_MIN || !this.bus.atomicBatches) {
      for (const waiting of this.queue.splice(0)) void this.publishAlone(waiting);
    }
  }

  private async publishBatch(batch: Waiting[]): Promise<void> {
    const wait = batchWait(batch.map((w) => w.message.answerBy), Date.now());
    const { ack, unanswered } = await publishAtomically(this.bus, batch.map((w) => w.message), wait);
    if (ack) batch.forEach((w, i) => w.resolve({ stream: ack.stream, seq: ack.seq - (batch.length - 1 - i), duplicate: false }));
    // A batch not answered in time may have been stored: a duplicate then may be its own copy.
    else await Promise.all(batch.map((w) => this.publishAlone(w, unanswered === true)));
  }

  /**
   * Settles the waiting publish whatever happens, a synchronous throw of the client included.
   * A publish not answered in time (a stalled server) may still have been stored: it is
   * published once more under the same `Nats-Msg-Id`, whose answer (stored, or duplicate)
   * tells, rather than leaving the sender to guess; a duplicate then is `unconfirmed`. Both
   * wait within the message's `answerBy`, the first keeping a second of it for the second.
   * `sentBefore`: it went in a batch the server did not answer.
   */
  private async publishAlone({ message, resolve, reject }: Waiting, sentBefore = false): Promise<void> {
    const publish = (keepMs: number) =>
      this.bus.js.publish(message.subject, message.data, { msgID: message.msgId, timeout: publishWait(message.answerBy, Date.now(), keepMs) });
    const unconfirmedIfDuplicate = (ack: PublishAck): PublishAck => (ack.duplicate ? { ...ack, duplicate: false, unconfirmed: true } : ack);
    try {
      const ack = await publish(LEAST_PUBLISH_WAIT_MS);
      resolve(sentBefore ? unconfirmedIfDuplicate(ack) : ack);
    } catch (error) {
      if (!(error instanceof errors.TimeoutError)) return reject(error);
      try {
        resolve(unconfirmedIfDuplicate(await publish(0)));
      } catch (again) {
        reject(new PublishUnconfirmed(`not answered in time, then ${again instanceof Error ? again.message : 'not answered'} when published again`));
      }
    }
  }
}
