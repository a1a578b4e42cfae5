import type { Msg, Subscription } from '@nats-io/nats-core';
import type { Bus } from './bus';

/**
 * One subscription to `res.>` for all commands this process waits on, instead of a
 * subscribe/unsubscribe pair per command (each of which the NATS server must fold into
 * its interest graph). Replies nobody waits for are dropped (and not confirmed).
 */
export class ReplyRouter {
  /** Everyone waiting on each command: the same command may be sent twice at once (a retried request). */
  private readonly waiting = new Map<string, Set<(reply: Msg) => void>>();
  private subscription?: Subscription;

  constructor(private readonly bus: Bus) {}

  /** Starts waiting for a command's reply; call before publishing the command. */
  expect(commandId: string, waitMs: number): { reply: Promise<Msg | undefined>; cancel: () => void } {
    this.subscription ??= this.bus.nc.subscribe(this.bus.subject('res.>'), {
      callback: (error, msg) => {
        if (error) return;
        const id = msg.subject.slice(this.bus.subject('res.').length);
        const waiters = [...(this.waiting.get(id) ?? [])];
        for (const deliver of waiters) deliver(msg);
        // A "retry shortly" answer asks to be confirmed (the service lets go of the command
        // then); unconfirmed, because nobody here waits any more, the service retries it.
        if (waiters.length > 0 && msg.reply) msg.respond();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    let deliver: (reply: Msg) => void = () => undefined;
    const cancel = () => {
      clearTimeout(timer);
      const waiters = this.waiting.get(commandId);
      waiters?.delete(deliver);
      if (waiters?.size === 0) this.waiting.delete(commandId);
    };
    const reply = new Promise<Msg | undefined>((resolve) => {
      timer = setTimeout(() => { cancel(); resolve(undefined); }, waitMs);
      deliver = (msg) => { cancel(); resolve(msg); };
      const waiters = this.waiting.get(commandId) ?? new Set();
      waiters.add(deliver);
      this.waiting.set(commandId, waiters);
    });
    return { reply, cancel };
  }
}
