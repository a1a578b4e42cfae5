export interface LogLimits {
  /** Bytes of log kept per pod (all its containers together). */
  maxBytesPerPod: number;
  /** Bytes of log kept per export. */
  maxBytesTotal: number;
  /** Log files per export (an import takes at most 1,000 archive entries). */
  maxFiles: number;
}

export const LOG_LIMITS: LogLimits = { maxBytesPerPod: 256 * 1024, maxBytesTotal: 2 * 1024 * 1024, maxFiles: 500 };

/** What an export may still read: per pod, in all, and how many files it may still write. */
export class LogBudget {
  private total = 0;
  private files = 0;
  private readonly perPod = new Map<string, number>();

  constructor(readonly limits: LogLimits = LOG_LIMITS) {}

  /** Bytes the next container of `pod` may keep; 0 once any bound is reached. */
  allowance(pod: string): number {
    if (this.files >= this.limits.maxFiles) return 0;
    const forPod = this.limits.maxBytesPerPod - (this.perPod.get(pod) ?? 0);
    return Math.max(0, Math.min(forPod, this.limits.maxBytesTotal - this.total));
  }

  /** Records a file of `bytes` kept for `pod`. */
  spend(pod: string, bytes: number): void {
    this.files += 1;
    this.total += bytes;
    this.perPod.set(pod, (this.perPod.get(pod) ?? 0) + bytes);
  }

  get bytes(): number {
    return this.total;
  }
}
