import type { Msg, Subscription } from '@nats-io/nats-core';
import { recordAnswerHeld } from './answered-refusals';
import type { Bus } from './bus';

/**
 * What a waiter is told when a "retry shortly" answer came but whether it stands could not be
 * told (its record's fate unknown, answered-refusals.ts): the command may run or not.
 */
export const UNSURE = Symbol('answer unsure');
export type RoutedReply = Msg | typeof UNSURE | undefined;

interface Waiter {
  /** Answers the waiter: a reply, UNSURE, or undefined when there is none to give (its wait ran out). */
  settle(reply: RoutedReply): void;
  timer: NodeJS.Timeout;
  /** Its reply came and is being recorded: it is settled with it once recorded. */
  taken: boolean;
}

export interface Waiting {
  reply: Promise<RoutedReply>;
  /** Whether its reply came and is being recorded (`reply` then settles with it, past the wait if need be). */
  answering(): boolean;
  cancel(): void;
}

/**
 * One subscription to `res.>` for all commands this process waits on, instead of a
 * subscribe/unsubscribe pair per command (each of which the NATS server must fold into
 * its interest graph). Replies nobody waits for are dropped (and not confirmed).
 */
export class ReplyRouter {
  /** Everyone waiting on each command: the same command may be sent twice at once (a retried request). */
  private readonly waiting = new Map<string, Set<Waiter>>();
  private subscription?: Subscription;

  constructor(private readonly bus: Bus) {}

  /** Starts waiting for a command's reply; call before publishing the command. */
  expect(commandId: string, waitMs: number): Waiting {
    this.subscription ??= this.bus.nc.subscribe(this.bus.subject('res.>'), {
      callback: (error, msg) => {
        if (!error) this.route(msg);
      },
    });
    let settle: (reply: RoutedReply) => void = () => undefined;
    const reply = new Promise<RoutedReply>((resolve) => (settle = resolve));
    const waiter: Waiter = { settle, taken: false, timer: setTimeout(() => { this.forget(commandId, waiter); settle(undefined); }, waitMs) };
    const waiters = this.waiting.get(commandId) ?? new Set();
    waiters.add(waiter);
    this.waiting.set(commandId, waiters);
    return { reply, answering: () => waiter.taken, cancel: () => { clearTimeout(waiter.timer); this.forget(commandId, waiter); } };
  }

  private route(msg: Msg): void {
    // Taken at once, their waits stopped: each gets this answer (or what became of it).
    const waiters = this.take(msg.subject.slice(this.bus.subject('res.').length));
    if (waiters.length === 0) return;
    if (!msg.reply) {
      for (const waiter of waiters) waiter.settle(msg);
      return;
    }
    // A "retry shortly" answer asks to be confirmed (the service lets go of the command then);
    // unconfirmed, because nobody here waits any more, the service retries it. Confirmed, the
    // command must never run: the service's record of that is written first, here, so no crash
    // of the service between the confirmation and its own record can lose it. That record, once
    // stored, is what keeps the command from running, confirmed or not: so the waiters are told
    // what it became (recordAnswerHeld), and only a stored one is confirmed.
    void recordAnswerHeld(this.bus, msg).then((record) => {
      const told = record === 'recorded' ? msg : record === 'unknown' ? UNSURE : undefined;
      for (const waiter of waiters) waiter.settle(told);
      if (record !== 'recorded') return;
      try {
        msg.respond();
      } catch {
        // The connection closing (this process stopping): unconfirmed, the service retries
        // the command, and its next delivery reads the record and lets it go.
      }
    });
  }

  private take(commandId: string): Waiter[] {
    const waiters = [...(this.waiting.get(commandId) ?? [])];
    this.waiting.delete(commandId);
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.taken = true;
    }
    return waiters;
  }

  private forget(commandId: string, waiter: Waiter): void {
    const waiters = this.waiting.get(commandId);
    waiters?.delete(waiter);
    if (waiters?.size === 0) this.waiting.delete(commandId);
  }
}
