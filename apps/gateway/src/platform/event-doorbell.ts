import type { Subscription } from '@nats-io/nats-core';
import type { Bus } from '@slipway/bus';

/**
 * Rings every live event stream of this gateway when the relay publishes: one `evt.>`
 * subscription however many clients wait, held only while one does. With a subscription
 * per client, NATS sent each published event once per client to this process.
 */
export class EventDoorbell {
  private readonly listeners = new Set<() => void>();
  private subscription?: Subscription;

  constructor(private readonly bus: Bus) {}

  /** How many streams wait on it: those this gateway serves. */
  get listening(): number {
    return this.listeners.size;
  }

  /** Calls `ring` after each publication until the returned function is called. */
  listen(ring: () => void): () => void {
    this.subscription ??= this.bus.nc.subscribe(this.bus.subject('evt.>'), {
      callback: () => { for (const listener of [...this.listeners]) listener(); },
    });
    this.listeners.add(ring);
    return () => {
      this.listeners.delete(ring);
      if (this.listeners.size > 0) return;
      this.subscription?.unsubscribe();
      this.subscription = undefined;
    };
  }
}
