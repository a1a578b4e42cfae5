import type { Reply } from '@slipway/contracts';
import type { BatchItem } from './decide-batch';

type Runner = (items: BatchItem[]) => Promise<Array<PromiseSettledResult<Reply>>>;
interface Waiting { item: BatchItem; resolve: (reply: Reply) => void; reject: (error: unknown) => void }

/**
 * Group commit for commands: whatever arrives while the database is busy waits and goes
 * in the next batch. A lone command starts in the same turn of the event loop, so an
 * idle system pays no delay.
 *
 * Batches run at once only on different streams: a command on a stream that a running
 * batch writes waits for the next batch. Two batches appending to one stream would only
 * take each other's next version, the loser deciding all its commands again — on a hot
 * stream (a namespace's patches, its cluster operations) over and over, until commands
 * gave up as contended.
 */
export class CommandBatcher {
  private queue: Waiting[] = [];
  private running = 0;
  private readonly writing = new Set<string>();

  constructor(private readonly run: Runner, private readonly maxBatch = 64, private readonly maxConcurrent = 4) {}

  submit(item: BatchItem): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // setImmediate, not a microtask: the commands delivered by the same socket read are
      // still being parsed (a promise chain each); a microtask would start a batch of one.
      if (this.running < this.maxConcurrent) setImmediate(() => this.next());
    });
  }

  private next(): void {
    while (this.running < this.maxConcurrent) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.start(batch);
    }
  }

  /** Up to maxBatch waiting commands, in arrival order, on streams no running batch writes. */
  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const left: Waiting[] = [];
    for (const waiting of this.queue) {
      if (batch.length < this.maxBatch && !this.writing.has(waiting.item.spec.streamId)) batch.push(waiting);
      else left.push(waiting);
    }
    this.queue = left;
    return batch;
  }

  private start(batch: Waiting[]): void {
    const streams = new Set(batch.map((w) => w.item.spec.streamId));
    for (const stream of streams) this.writing.add(stream);
    this.running++;
    this.run(batch.map((w) => w.item)).then(
      (results) => results.forEach((result, i) => (result.status === 'fulfilled' ? batch[i]!.resolve(result.value) : batch[i]!.reject(result.reason))),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    ).finally(() => {
      for (const stream of streams) this.writing.delete(stream);
      this.running--;
      this.next();
    });
  }
}
