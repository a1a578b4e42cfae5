import type { KubeResult } from './kube-error';

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Stop retrying (and waiting) once this is aborted. */
  signal?: AbortSignal;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 3_000 };

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Runs `operation` until it succeeds, fails with anything but `transient`, or runs out of
 * attempts; the last result is returned as is. Only idempotent operations come through
 * here (apply, get, list, delete), so a request that reached the server twice is harmless.
 * A server's Retry-After wins over the computed delay, capped by `maxDelayMs`. A request
 * that got no answer within its bound is not tried again here.
 */
export async function retryTransient<T>(operation: () => Promise<KubeResult<T>>, policy: RetryPolicy = DEFAULT_RETRY): Promise<KubeResult<T>> {
  for (let attempt = 0; ; attempt++) {
    const result = await operation();
    if (result.ok || result.error.kind !== 'transient' || attempt + 1 >= policy.attempts || policy.signal?.aborted) return result;
    // A server that let a request wait out its whole bound would make each retry wait as long.
    if (result.error.timedOut) return result;
    const delay = result.error.retryAfterMs ?? backoffDelay(attempt, policy);
    await sleep(Math.min(delay, policy.maxDelayMs), policy.signal);
  }
}
