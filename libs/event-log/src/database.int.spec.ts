import { Client } from 'pg';
import { createTestDatabase } from '@slipway/testing';
import { createPool, inTransaction, onClient } from './database';

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

describe('a transaction left idle by a stopped process', () => {
  it('is ended by the server, letting go of its locks, and its holder\'s next query fails as a transient error', async () => {
    const url = await createTestDatabase();
    const stalled = createPool(url, { max: 1, idleInTransactionMs: 1_000 });
    const other = createPool(url, { max: 1 });
    try {
      expect((await other.query<{ setting: string }>("SELECT current_setting('idle_in_transaction_session_timeout') AS setting")).rows[0]!.setting).toBe('5min');
      // given a transaction holding a projection's turn, whose process then stops answering
      let resume!: () => void;
      const stopped = new Promise<void>((resolve) => { resume = resolve; });
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => { locked = resolve; });
      const holder = inTransaction(stalled, async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('projection:stalled'))");
        locked();
        await stopped;
        await tx.query('SELECT 1');
      });
      const held = holder.catch((error: unknown) => error);
      // (once it holds the turn, not after 100 ms: a loaded machine can take longer to connect,
      // and the other instance would take the turn first)
      await Promise.race([holding, held]);
      // when another instance wants the same turn, it gets it once the server ends the idle one
      const taken = await inTransaction(other, async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('projection:stalled'))");
        return 'taken';
      });
      expect(taken).toBe('taken');
      // then the stopped holder, going on, fails as during an outage (retried, not dead-lettered), its work undone
      resume();
      const error = await held;
      // (as one whose connection Postgres closed: transient, libs/bus/src/transient.ts)
      expect(error).toEqual(expect.objectContaining({ message: expect.stringMatching(/connection error|terminat/) }));
    } finally {
      await stalled.end();
      await other.end();
    }
  });
});
