import type { Subscription } from '@nats-io/nats-core';
import type { Bus } from './bus';

/**
 * One subscription to `res.>` for all commands this process waits on, instead of a
 * subscribe/unsubscribe pair per command (each of which the NATS server must fold into
 * its interest graph). Replies nobody waits for are dropped.
 */
export class ReplyRouter {
  /** Everyone waiting on each command: the same command may be sent twice at once (a retried request). */
  private readonly waiting = new Map<string, Set<(data: Uint8Array) => void>>();
  private subscription?: Subscription;

  constructor(private readonly bus: Bus) {}

  /** Starts waiting for a command's reply; call before publishing the command. */
  expect(commandId: string, waitMs: number): { reply: Promise<Uint8Array | undefined>; cancel: () => void } {
    this.subscription ??= this.bus.nc.subscribe(this.bus.subject('res.>'), {
      callback: (error, msg) => {
        if (error) return;
        const id = msg.subject.slice(this.bus.subject('res.').length);
        for (const deliver of [...(this.waiting.get(id) ?? [])]) deliver(msg.data);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    let deliver: (data: Uint8Array) => void = () => undefined;
    const cancel = () => {
      clearTimeout(timer);
      const waiters = this.waiting.get(commandId);
      waiters?.delete(deliver);
      if (waiters?.size === 0) this.waiting.delete(commandId);
    };
    const reply = new Promise<Uint8Array | undefined>((resolve) => {
      timer = setTimeout(() => { cancel(); resolve(undefined); }, waitMs);
      deliver = (data) => { cancel(); resolve(data); };
      const waiters = this.waiting.get(commandId) ?? new Set();
      waiters.add(deliver);
      this.waiting.set(commandId, waiters);
    });
    return { reply, cancel };
  }
}
