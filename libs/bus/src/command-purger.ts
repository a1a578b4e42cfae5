import type { Bus } from './bus';

/** How often a service drops the commands it has settled. */
export const PURGE_INTERVAL_MS = 1_000;

/**
 * COMMANDS keeps messages until they are purged (limits retention), and each service
 * purges, every second, its own subjects up to its consumer's ack floor: every command
 * at or below the floor has been settled (acked, or terminated after dead-lettering).
 * This gives work-queue semantics with one disk write per purge; a work-queue stream
 * writes and, under `sync_interval: always`, fsyncs a tombstone for every single ack.
 * A command that no consumer has settled is never purged.
 */
export class CommandPurger {
  private timer?: NodeJS.Timeout;
  private purgedBelow = 0;
  private running?: Promise<void>;

  constructor(private readonly bus: Bus, private readonly durable: string, private readonly filter: string) {}

  start(intervalMs = PURGE_INTERVAL_MS): void {
    this.timer = setInterval(() => {
      // A failed purge is retried on the next tick; nothing is lost by waiting.
      this.running ??= this.purgeSettled().then(() => undefined, () => undefined).finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Purges what the consumer has settled; returns how many messages went. */
  async purgeSettled(): Promise<number> {
    const stream = this.bus.stream('COMMANDS');
    const info = await this.bus.jsm.consumers.info(stream, this.durable);
    const below = info.ack_floor.stream_seq + 1;
    if (below <= this.purgedBelow) return 0;
    const { purged } = await this.bus.jsm.streams.purge(stream, { filter: this.filter, seq: below });
    this.purgedBelow = below;
    return purged;
  }
}
