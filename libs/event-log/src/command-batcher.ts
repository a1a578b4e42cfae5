import type { Reply } from '@slipway/contracts';
import type { BatchItem } from './decide-batch';

type Runner = (items: BatchItem[]) => Promise<Array<PromiseSettledResult<Reply>>>;
interface Waiting { item: BatchItem; resolve: (reply: Reply) => void; reject: (error: unknown) => void }

/**
 * Group commit for commands: whatever arrives while the database is busy waits and goes
 * in the next batch. A lone command starts in the same turn of the event loop, so an
 * idle system pays no delay.
 */
export class CommandBatcher {
  private queue: Waiting[] = [];
  private running = 0;

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
    if (this.running >= this.maxConcurrent || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.running++;
    this.run(batch.map((w) => w.item)).then(
      (results) => results.forEach((result, i) => (result.status === 'fulfilled' ? batch[i]!.resolve(result.value) : batch[i]!.reject(result.reason))),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    ).finally(() => {
      this.running--;
      this.next();
    });
  }
}
