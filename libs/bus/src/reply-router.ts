import type { Msg, Subscription } from '@nats-io/nats-core';
import { recordAnswerHeld } from './answered-refusals';
import type { Bus } from './bus';

interface Waiter {
  /** Answers the waiter: a reply, or undefined when there is none to give (its wait ran out). */
  settle(reply: Msg | undefined): void;
  timer: NodeJS.Timeout;
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
  expect(commandId: string, waitMs: number): { reply: Promise<Msg | undefined>; cancel: () => void } {
    this.subscription ??= this.bus.nc.subscribe(this.bus.subject('res.>'), {
      callback: (error, msg) => {
        if (!error) this.route(msg);
      },
    });
    let settle: (reply: Msg | undefined) => void = () => undefined;
    const reply = new Promise<Msg | undefined>((resolve) => (settle = resolve));
    const waiter: Waiter = { settle, timer: setTimeout(() => { this.forget(commandId, waiter); settle(undefined); }, waitMs) };
    const waiters = this.waiting.get(commandId) ?? new Set();
    waiters.add(waiter);
    this.waiting.set(commandId, waiters);
    return { reply, cancel: () => { clearTimeout(waiter.timer); this.forget(commandId, waiter); } };
  }

  private route(msg: Msg): void {
    // Taken at once, their waits stopped: each gets this answer, or none when it cannot be confirmed.
    const waiters = this.take(msg.subject.slice(this.bus.subject('res.').length));
    if (waiters.length === 0) return;
    if (!msg.reply) {
      for (const waiter of waiters) waiter.settle(msg);
      return;
    }
    // A "retry shortly" answer asks to be confirmed (the service lets go of the command then);
    // unconfirmed, because nobody here waits any more, the service retries it. Confirmed, the
    // command must never run: the service's record of that is written first, here, so no crash
    // of the service between the confirmation and its own record can lose it. Not written, the
    // waiters are told nothing (the command is queued: 202) and the service retries it.
    void recordAnswerHeld(this.bus, msg).then((held) => {
      for (const waiter of waiters) waiter.settle(held ? msg : undefined);
      if (held) msg.respond();
    });
  }

  private take(commandId: string): Waiter[] {
    const waiters = [...(this.waiting.get(commandId) ?? [])];
    this.waiting.delete(commandId);
    for (const waiter of waiters) clearTimeout(waiter.timer);
    return waiters;
  }

  private forget(commandId: string, waiter: Waiter): void {
    const waiters = this.waiting.get(commandId);
    waiters?.delete(waiter);
    if (waiters?.size === 0) this.waiting.delete(commandId);
  }
}
