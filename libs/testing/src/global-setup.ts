import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNats, startPostgres, type RunningNats, type RunningPostgres } from '@slipway/local-stack';

declare global {
  var __slipwayServers: Array<RunningPostgres | RunningNats> | undefined;
}

/**
 * One Postgres and one NATS per test run, on free loopback ports, unless DATABASE_URL /
 * NATS_URL point at existing ones. Workers inherit the URLs through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const started: Array<RunningPostgres | RunningNats> = [];
  const root = mkdtempSync(join(tmpdir(), 'slipway-test-'));
  chmodSync(root, 0o755); // Postgres runs as its own user when we are root and must reach its directory
  if (!process.env.DATABASE_URL) {
    const pg = await startPostgres({ dataDir: join(root, 'pg', 'data'), durable: false });
    process.env.DATABASE_URL = pg.url;
    started.push(pg);
  }
  if (!process.env.NATS_URL) {
    const nats = await startNats({ storeDir: join(root, 'nats'), syncAlways: false });
    process.env.NATS_URL = nats.url;
    started.push(nats);
  }
  process.env.SLIPWAY_TEST_ROOT = root;
  globalThis.__slipwayServers = started;
}
