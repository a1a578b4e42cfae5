import { rmSync } from 'node:fs';
import { stopAll } from './stop-all';

/**
 * Stops what global setup started, then removes the run's state directory (data of
 * Postgres, NATS and the control plane: hundreds of MB a run). SLIPWAY_KEEP_TEST_STATE=1
 * keeps it, with the servers' logs, for a look after a failure.
 */
export default async function globalTeardown(): Promise<void> {
  await stopAll(globalThis.__slipwayServers ?? []);
  removeTestRoot();
  // Last: should this process die on the way (its output piped into `head` makes a write
  // fail, and that ends it), the reaper still stops what is left once it has gone.
  globalThis.__slipwayReaper?.stop();
}

/** Removes the directory global setup created (only that one: it is remembered, not read from the environment). */
export function removeTestRoot(): void {
  const dir = globalThis.__slipwayTestRoot;
  if (!dir || process.env.SLIPWAY_KEEP_TEST_STATE === '1') return;
  rmSync(dir, { recursive: true, force: true });
}
