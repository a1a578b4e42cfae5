import { errors } from '@nats-io/nats-core';
import type { Bus } from './bus';
import { ATOMIC_BATCH_MIN, publishAtomically, type OutgoingMessage } from './atomic-batch';
import { chunks } from './publish-in-order';
import { batchWait, LEAST_PUBLISH_WAIT_MS, PUBLISH_WAIT_MS, publishWait } from './publish-waits';

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

/**
 * A publish that never left this process: the server stalled and what waited behind the
 * batches being stored was held past its sender's wait, or more waited than the bound below.
 * Nothing was sent, so the sender may send it again at no risk.
 */
export class PublishNotSent extends Error {
  override readonly name = 'PublishNotSent';
}

/**
 * How much may wait to be sent while the server is slow to store what went before: every
 * waiting message holds its bytes and its sender's request. Far above what a healthy server
 * leaves waiting (two batches of 500 in flight), and what a stalled one would otherwise
 * gather without end.
 */
export const MAX_WAITING: { messages: number; bytes: number } = { messages: 10_000, bytes: 64 * 1024 * 1024 };

interface Waiting {
  message: OutgoingMessage;
  /** When it may no longer be sent (epoch ms): its sender would be answered past its wait. */
  sendBy: number;
  resolve: (ack: PublishAck) => void;
  reject: (error: unknown) => void;
}

/**
 * A message waits to be sent until its sender's `answerBy` (a second at least, as a late
 * sender's publish waits that long), or a publish's default wait when its sender set none.
 */
function sendBy(message: OutgoingMessage, now: number): number {
  return Math.max(message.answerBy ?? now + PUBLISH_WAIT_MS, now + LEAST_PUBLISH_WAIT_MS);
}

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
  private queuedBytes = 0;
  private batchesInFlight = 0;
  private scheduled = false;

  constructor(private readonly bus: Bus, private readonly maxInFlight = 2, private readonly maxWaiting = MAX_WAITING) {}

  publish(message: OutgoingMessage): Promise<PublishAck> {
    return new Promise((resolve, reject) => {
      if (this.queue.length >= this.maxWaiting.messages || this.queuedBytes + message.data.length > this.maxWaiting.bytes) {
        return reject(new PublishNotSent(`${this.queue.length} messages (${this.queuedBytes} bytes) wait to be sent already: the command bus is slow to store them`));
      }
      this.queue.push({ message, sendBy: sendBy(message, Date.now()), resolve, reject });
      this.queuedBytes += message.data.length;
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
    this.refuseHeldTooLong(Date.now());
    while (this.bus.atomicBatches && this.queue.length >= ATOMIC_BATCH_MIN && this.batchesInFlight < this.maxInFlight) {
      const batch = chunks(this.queue, (w) => w.message.data.length)[0]!;
      this.take(batch.length);
      this.batchesInFlight++;
      void this.publishBatch(batch).finally(() => {
        this.batchesInFlight--;
        this.flush();
      });
    }
    // Too few to be worth a batch (or waiting for none): each goes now.
    if (this.queue.length < ATOMIC_BATCH_MIN || !this.bus.atomicBatches) {
      for (const waiting of this.take(this.queue.length)) void this.publishAlone(waiting);
    }
  }

  private take(count: number): Waiting[] {
    const taken = this.queue.splice(0, count);
    for (const w of taken) this.queuedBytes -= w.message.data.length;
    return taken;
  }

  /**
   * What waited behind a stalled server past its sender's wait is refused unsent: sent now,
   * its sender would be answered later than it was promised, by up to two more waits.
   */
  private refuseHeldTooLong(now: number): void {
    if (!this.queue.some((w) => w.sendBy <= now)) return;
    const kept: Waiting[] = [];
    for (const w of this.queue) {
      if (w.sendBy > now) kept.push(w);
      else {
        this.queuedBytes -= w.message.data.length;
        w.reject(new PublishNotSent('not sent within its sender\'s wait: the command bus was slow to store the commands before it'));
      }
    }
    this.queue = kept;
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
      // Refused now, but its batch went unanswered before: that batch may have been stored,
      // and the command may run. Only a publish never sent before is refused as not taken.
      if (!(error instanceof errors.TimeoutError)) {
        return reject(sentBefore ? new PublishUnconfirmed(`its batch not answered in time, then ${error instanceof Error ? error.message : 'refused'} when published alone`) : error);
      }
      try {
        resolve(unconfirmedIfDuplicate(await publish(0)));
      } catch (again) {
        reject(new PublishUnconfirmed(`not answered in time, then ${again instanceof Error ? again.message : 'not answered'} when published again`));
      }
    }
  }
}
