import type { LoggerService } from '@nestjs/common';
import { isTransient } from '@slipway/bus';
import { setTimeout as pause } from 'node:timers/promises';

const PAUSES_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Runs `work` (a service's first use of a dependency as it starts) until it succeeds, waiting
 * out failures that say the dependency is not there yet (isTransient: refused, restarting,
 * a name not resolving yet) with growing pauses, each said in the log: a service started
 * before Postgres, or during its restart, comes up with it instead of exiting (under
 * Kubernetes, into a crash loop whose back-off outlasts the outage). Any other failure (a
 * wrong password, a missing database) is thrown at once.
 */
export async function untilReachable<T>(what: string, work: () => Promise<T>, log: LoggerService): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const waitMs = PAUSES_MS[Math.min(attempt, PAUSES_MS.length - 1)]!;
      log.warn(`${what} is not reachable (${error instanceof Error ? error.message : String(error)}); trying again in ${waitMs / 1000} s`);
      await pause(waitMs);
    }
  }
}
