import type { Pool, PoolClient } from 'pg';
import { eventually } from './eventually';

/**
 * Waits until another session is waiting on a lock that `holder` (a connection inside a
 * transaction) holds: a test that races a writer against `holder` then knows the writer
 * read before `holder` commits, which a sleep only makes likely.
 */
export async function untilBlockedBy(pool: Pool, holder: PoolClient): Promise<void> {
  const { rows } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]!.pid;
  await eventually(async () => {
    const blocked = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
    expect(blocked.rows[0]!.n).toBeGreaterThan(0);
  }, 30_000);
}
