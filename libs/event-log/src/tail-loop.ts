import { Leadership } from './leader';

export interface TailLoopOptions {
  url: string;
  /** Advisory-lock key: one active instance per key across all processes. */
  key: string;
  /** Does one batch of work; returns how many events it handled. */
  step: () => Promise<number>;
  /** The wait before polling again after a step that found nothing (25 ms). */
  idleMs?: number;
  /**
   * The longest that wait grows to while nothing is found (idleMs: it does not grow). Each
   * empty step doubles it; a step that finds work, or a `wake()`, sets it back to idleMs.
   */
  maxIdleMs?: number;
  /**
   * After a step that handled fewer than `fullStep` events, wait this long before the
   * next, so it finds more to take: for work with a fixed cost per step (the relay's
   * atomic batch). Adds at most this much delay to each event.
   */
  gather?: { ms: number; fullStep: number };
  onError?: (error: unknown) => void;
}

/**
 * The loop shared by the relay and async projections: become leader, then run steps
 * back to back while there is work and poll at `idleMs` when there is none. `wake()`
 * cuts the idle wait short (called when this process has just appended).
 */
export class TailLoop {
  private running = false;
  private wakeUp?: () => void;
  private done?: Promise<void>;
  private readonly leadership: Leadership;

  constructor(private readonly options: TailLoopOptions) {
    this.leadership = new Leadership(options.url, options.key);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.loop();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.done;
    await this.leadership.release();
  }

  private async loop(): Promise<void> {
    const idleMs = this.options.idleMs ?? 25;
    const bounds = { idleMs, maxIdleMs: this.options.maxIdleMs ?? idleMs };
    let idle = idleMs;
    while (this.running) {
      let handled = 0;
      try {
        if (await this.leadership.tryAcquire()) handled = await this.options.step();
        else await this.sleep(1000);
      } catch (error) {
        this.options.onError?.(error);
        await this.leadership.release();
        await this.sleep(500);
      }
      if (handled > 0) {
        idle = idleMs;
        if (this.options.gather && handled < this.options.gather.fullStep) await this.sleep(this.options.gather.ms);
        continue;
      }
      // Nothing found: polled less often the longer nothing comes (another process's appends
      // ring no bell here), at once again when this process appends (wake).
      idle = (await this.sleep(idle)) ? idleMs : nextIdleMs(idle, bounds);
    }
  }

  /** Resolves after `ms` (false), or once woken (true). */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.wakeUp = () => { clearTimeout(timer); resolve(true); };
    });
  }
}

/** The wait after another empty step: twice the last, up to `maxIdleMs`. */
export function nextIdleMs(last: number, { idleMs, maxIdleMs }: { idleMs: number; maxIdleMs: number }): number {
  return Math.max(idleMs, Math.min(maxIdleMs, last * 2));
}
