/**
 * Callback-to-iterator glue: producers `push` items and `end` the queue (with an error or
 * not); one consumer `take`s them in order. `take` resolves `undefined` once the queue has
 * ended and is drained. Used where the client hands out callbacks or Node streams.
 */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private waiting?: () => void;
  private ended = false;
  private error: unknown;

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.wake();
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.wake();
  }

  /** The next item; `undefined` after the end; throws the error the queue ended with. */
  async take(): Promise<T | undefined> {
    while (this.items.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.waiting = resolve));
    if (this.items.length > 0) return this.items.shift();
    if (this.error !== undefined) throw this.error;
    return undefined;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
