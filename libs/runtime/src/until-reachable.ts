import type { LoggerService } from '@nestjs/common';
import { Bus, isTransient, shownError, transientPauseMs, type BusOptions } from '@slipway/bus';
import { setTimeout as pause } from 'node:timers/promises';

/**
 * Runs `work` (a service's first use of a dependency as it starts) until it succeeds, waiting
 * out failures that say the dependency is not there yet (isTransient: refused, restarting,
 * a name not resolving yet) with the pauses the bus takes for them (transientPauseMs), each
 * said in the log: a service started before Postgres, or during its restart, comes up with
 * it instead of exiting (under Kubernetes, into a crash loop whose back-off outlasts the
 * outage). Any other failure (a wrong password, a missing database) is thrown at once.
 */
export async function untilReachable<T>(what: string, work: () => Promise<T>, log: LoggerService): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await work();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const waitMs = transientPauseMs(failures);
      log.warn(`${what} is not reachable (${shownError(error instanceof Error ? error.message : error)}); trying again in ${waitMs / 1000} s`);
      await pause(waitMs);
    }
  }
}

/**
 * A bus connection made as a service starts, NATS not reachable yet (restarting, or started
 * after the service) waited out as Postgres is: each exit would count against a supervisor's
 * restarts (npm start stops everything after six in five minutes), one crash during a NATS
 * restart costing four.
 */
export function connectWhenReachable(options: BusOptions, log: LoggerService): Promise<Bus> {
  return untilReachable('NATS', () => Bus.connect(options), log);
}
