/**
 * The export collections of one telemetry process: one per export at a time (a redelivered
 * command, a retry or the resume at boot finds the export already here and adds nothing),
 * at most `limit` running together and the rest waiting in arrival order, so that a boot
 * that finds many exports WAITING does not collect them all at once (each holds a database
 * connection, reads logs and builds its zip in memory). Closing drops what has not started
 * (it stays WAITING, for the next process to collect) and waits for what has.
 *
 * Work settles its own errors; the queue only keeps a rejection from going unhandled.
 */
export class CollectionQueue {
  private readonly waiting = new Map<string, () => Promise<void>>();
  private readonly running = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly limit: number) {}

  /** Queues the export's collection; false when it is already waiting or running here (or the queue is closed). */
  add(id: string, work: () => Promise<void>): boolean {
    if (this.closed || this.waiting.has(id) || this.running.has(id)) return false;
    this.waiting.set(id, work);
    this.startNext();
    return true;
  }

  private startNext(): void {
    while (!this.closed && this.running.size < this.limit) {
      const next = this.waiting.entries().next();
      if (next.done) return;
      const [id, work] = next.value;
      this.waiting.delete(id);
      const run = Promise.resolve().then(work).catch(() => undefined).finally(() => {
        this.running.delete(id);
        this.startNext();
      });
      this.running.set(id, run);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
