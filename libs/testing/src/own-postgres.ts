import { join } from 'node:path';
import { Bus } from '@slipway/bus';
import { startPostgres, type RunningPostgres } from '@slipway/local-stack';
import { scratchDir } from './scratch-dir';
import { natsUrl, testBusPrefix } from './test-database';

/** A service under test on a Postgres of its test file's own, and a bus on its prefix. */
export interface OwnPostgresFixture<S> {
  pg: RunningPostgres;
  service: S;
  bus: Bus;
  /** Starts the file's Postgres again (stopped by the test) on its data and port. */
  restartPostgres(): Promise<void>;
}

/**
 * Starts, before a test file's tests, a Postgres of the file's own (so stopping it disturbs no
 * other test file), the service `start` makes on it, and a bus on the service's prefix; stops
 * them after. The fixture's fields are set once the file's `beforeAll` has run.
 */
export function serviceOnOwnPostgres<S extends { close(): Promise<void> }>(
  name: string, start: (config: { databaseUrl: string; natsUrl: string; busPrefix: string }) => Promise<S>,
): OwnPostgresFixture<S> {
  const dataDir = join(scratchDir(name), 'data');
  const fixture = {
    async restartPostgres() {
      fixture.pg = await startPostgres({ dataDir, port: fixture.pg.port, durable: false });
    },
  } as OwnPostgresFixture<S>;
  beforeAll(async () => {
    fixture.pg = await startPostgres({ dataDir, durable: false });
    const busPrefix = testBusPrefix();
    fixture.service = await start({ databaseUrl: fixture.pg.url, natsUrl: natsUrl(), busPrefix });
    fixture.bus = await Bus.connect({ url: natsUrl(), prefix: busPrefix });
  });
  afterAll(async () => {
    await fixture.bus?.close();
    await fixture.service?.close();
    await fixture.pg?.stop();
  });
  return fixture;
}
