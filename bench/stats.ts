import { performance } from 'node:perf_hooks';

/** Percentile of an unsorted sample (nearest rank). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Milliseconds `work` takes the second time it runs (the first warms it up). */
export function timedSecond(work: () => unknown): number {
  work();
  const start = performance.now();
  work();
  return performance.now() - start;
}
