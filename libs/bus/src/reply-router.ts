import type { Subscription } from '@nats-io/nats-core';
import type { Bus } from './bus';

/**
 * One subscription to `res.>` for all commands this process waits on, instead of a
 * subscribe/unsubscribe pair per command (each of which the NATS server must fold into
 * its interest graph). Replies nobody waits for are dropped.
 */
export class ReplyRouter {
  private readonly waiting = new Map<string, (data: Uint8Array) => void>();
  private subscription?: Subscription;

  constructor(private readonly bus: Bus) {}

  /** Starts waiting for a command's reply; call before publishing the command. */
  expect(commandId: string, waitMs: number): { reply: Promise<Uint8Array | undefined>; cancel: () => void } {
    this.subscription ??= this.bus.nc.subscribe(this.bus.subject('res.>'), {
      callback: (error, msg) => {
        if (error) return;
        const id = msg.subject.slice(this.bus.subject('res.').length);
        this.waiting.get(id)?.(msg.data);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const cancel = () => {
      clearTimeout(timer);
      this.waiting.delete(commandId);
    };
    const reply = new Promise<Uint8Array | undefined>((resolve) => {
      timer = setTimeout(() => { cancel(); resolve(undefined); }, waitMs);
      this.waiting.set(commandId, (data) => { cancel(); resolve(data); });
    });
    return { reply, cancel };
  }
}
