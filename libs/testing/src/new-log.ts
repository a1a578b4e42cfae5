import { createPool, migrate } from '@slipway/event-log';
import type { Pool } from 'pg';
import { createTestDatabase } from './test-database';

/**
 * A pool on a database of the test file's own, its event log migrated: made before the
 * file's (or describe's) tests, ended after them. `pool` is set once its `beforeAll` has run.
 */
export function poolOnNewLog(): { pool: Pool } {
  const log = {} as { pool: Pool };
  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url);
    log.pool = createPool(url);
  });
  afterAll(() => log.pool?.end());
  return log;
}
