import { createPool, migrate } from '@slipway/event-log';
import type { Pool } from 'pg';
import { createTestDatabase } from './test-database';

/**
 * A pool on a database of the test file's own, its event log migrated: made before the
 * file's (or describe's) tests, ended after them. `pool` and `url` (for code that opens its
 * own connections) are set once its `beforeAll` has run.
 */
export function poolOnNewLog(): { pool: Pool; url: string } {
  const log = {} as { pool: Pool; url: string };
  beforeAll(async () => {
    log.url = await createTestDatabase();
    await migrate(log.url);
    log.pool = createPool(log.url);
  });
  afterAll(() => log.pool?.end());
  return log;
}
