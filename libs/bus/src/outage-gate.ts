/**
 * Whether a process is waiting out an outage of a dependency all its work needs (its
 * Postgres unreachable, say). An outage can be one instance's alone (its network, its
 * connection limit): one that went on taking messages would hold every message the consumer
 * lets out unacknowledged (max_ack_pending is the consumer's, not an instance's), and the
 * instances that could handle them would be given none. So, closed, the process runs one
 * message at a time (a probe: whether the outage is over is learnt from real work), hands
 * back the others at once (settle-message.ts), and pulls no more than it is given
 * (durable-consumer.ts). It stays closed until work gets past the outage: handing back the
 * messages that met it says nothing about whether it is over.
 */
export class OutageGate {
  private isClosed = false;
  private probing = false;
  private waiters: Array<() => void> = [];

  /** Whether the process waits out an outage now. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Work met an outage of a dependency all work needs. */
  close(): void {
    this.isClosed = true;
  }

  /** Work got past where an outage would have stopped it: the dependency answers. */
  open(): void {
    if (!this.isClosed) return;
    this.isClosed = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** While closed, lets one message's work run as the probe at a time: its end, or undefined when another probes. */
  takeProbe(): (() => void) | undefined {
    if (this.probing) return undefined;
    this.probing = true;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.probing = false;
    };
  }

  /** Resolves once the gate is open (at once when it is). */
  opened(): Promise<void> {
    return this.isClosed ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
}
