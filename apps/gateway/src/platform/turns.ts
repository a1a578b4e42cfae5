interface Waiter {
  units: number;
  give: () => void;
}

/**
 * `size` units, taken and given back by holders; a taker that does not fit waits, in order of
 * asking (a large one is not passed over by small ones behind it). A taking larger than the
 * whole takes the whole: it waits until everything is free.
 */
export class Turns {
  private free: number;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly size: number) {
    this.free = size;
  }

  /**
   * Resolves once `units` are this caller's, with the function that gives them back; with
   * undefined if `signal` aborts first (its place in the line is given up).
   */
  async take(units = 1, signal?: AbortSignal): Promise<(() => void) | undefined> {
    const wanted = Math.min(units, this.size);
    if (signal?.aborted) return undefined;
    if (this.waiting.length === 0 && this.free >= wanted) {
      this.free -= wanted;
      return this.giveBack(wanted);
    }
    const given = await new Promise<boolean>((resolve) => {
      const waiter: Waiter = { units: wanted, give: () => { signal?.removeEventListener('abort', leave); resolve(true); } };
      const leave = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        // Whoever waited behind it may fit now.
        this.serve();
        resolve(false);
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(waiter);
    });
    return given ? this.giveBack(wanted) : undefined;
  }

  private giveBack(units: number): () => void {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.free += units;
      this.serve();
    };
  }

  /** Gives the free units to the waiters in order, as far as they fit. */
  private serve(): void {
    while (this.waiting.length > 0 && this.free >= this.waiting[0]!.units) {
      const next = this.waiting.shift()!;
      this.free -= next.units;
      next.give();
    }
  }
}
