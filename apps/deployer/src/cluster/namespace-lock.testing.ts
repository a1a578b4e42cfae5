import type { Pool } from 'pg';

/** The backends holding a namespace's cluster turn (namespace-lock.ts's two-key advisory lock). */
export async function turnHolders(db: Pick<Pool, 'query'>, namespace: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
      AND classid = (hashtext('slipway:cluster')::bigint & 4294967295)::oid AND objid = (hashtext($1)::bigint & 4294967295)::oid`, [namespace],
  );
  return rows.map((row) => row.pid);
}

/** Ends the backend holding a namespace's turn (a restart, a timeout, a proxy), and waits until its lock is gone with it. */
export async function dropTurnHolder(db: Pick<Pool, 'query'>, namespace: string): Promise<void> {
  const [pid] = await turnHolders(db, namespace);
  await db.query('SELECT pg_terminate_backend($1)', [pid]);
  // (a signal: the backend, and its lock, are gone a moment later)
  for (let waited = 0; (await turnHolders(db, namespace)).length > 0; waited += 20) {
    if (waited > 10_000) throw new Error(`the backend holding "${namespace}" did not end`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
