/**
 * At most `size` holders at once; the others wait in order. A released turn goes straight
 * to the next waiter.
 */
export class Turns {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** Resolves once a turn is this caller's, with the function that gives it back. */
  async take(): Promise<() => void> {
    if (this.held < this.size) this.held++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    };
  }
}
