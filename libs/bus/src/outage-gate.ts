/**
 * Whether a process is waiting out an outage of a dependency all its work needs (its
 * Postgres unreachable, say): while any of its messages' work waits one out, its consumers
 * pull no more than they have, and hand back at once what they are given (settle-message.ts,
 * durable-consumer.ts), for another instance to take. An outage can be one instance's alone
 * (its network, its connection limit): one that went on pulling would hold every message the
 * consumer lets out unacknowledged (max_ack_pending is the consumer's, not an instance's),
 * and the instances that could handle them would be given none.
 */
export class OutageGate {
  private waiting = 0;
  private reopen: Array<() => void> = [];

  /** Whether work of this process waits out an outage now. */
  get closed(): boolean {
    return this.waiting > 0;
  }

  /** A message's work begins to wait out an outage; the function returned says it has stopped. */
  enter(): () => void {
    this.waiting++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.waiting--;
      if (this.waiting > 0) return;
      const waiters = this.reopen;
      this.reopen = [];
      for (const resolve of waiters) resolve();
    };
  }

  /** Resolves once no work waits out an outage (at once when none does). */
  opened(): Promise<void> {
    return this.closed ? new Promise((resolve) => this.reopen.push(resolve)) : Promise.resolve();
  }
}
