import { DomainError } from '@slipway/contracts';

/**
 * Runs at most `most` of a costly query at once in this process, refusing the next one at
 * once, "retry shortly" (503): queued, each would finish past the gateway's wait, answered
 * 503 all the same after doing its work for nobody (ten drift checks at once were all refused,
 * each after 5 s, the deployer growing by 900 MB meanwhile).
 */
export class AtMostAtOnce {
  private running = 0;

  constructor(private readonly most: number, private readonly busy: (most: number) => string) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.most) throw new DomainError('unavailable', this.busy(this.most));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}
