import { Client } from 'pg';
import { createTestDatabase } from '@slipway/testing';
import { createPool, onClient } from './database';

/**
 * Postgres restarting (or an operator's pg_terminate_backend) closes every connection,
 * those a service holds checked out of its pool too. The pool watches only the idle ones:
 * a checked-out client whose connection ends emits `error`, which with no listener takes
 * the process down.
 */
describe('createPool', () => {
  it('survives the server closing a checked-out client\'s connection, and the next query reconnects', async () => {
    const url = await createTestDatabase();
    const pool = createPool(url, { max: 2 });
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      // given a client checked out, idle between two statements of its work
      const finished = onClient(pool, async (client) => {
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        // when the server terminates its connection
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return client.query('SELECT 1');
      });
      // then the work fails as a query does, and nothing else does (an unhandled `error` fails this file)
      await expect(finished).rejects.toThrow(/terminat|connection error/i);
      // and the pool serves the next query on a new connection
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
