import { Client } from 'pg';

/**
 * Waits until the system has worked off the phase before: the relay has published the
 * whole log, then a quiet moment for what follows a burst (autovacuum, deferred
 * flushes). A latency phase started straight after the closed loop measured that loop's
 * aftermath in its first second (p50 23 ms there, 8 ms after).
 */
export async function settle(databaseUrl: string, quietMs = 2_000, maxMs = 30_000): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      const { rows } = await db.query<{ behind: boolean }>(
        `SELECT coalesce((SELECT max(position) FROM events), 0) > coalesce((SELECT position FROM checkpoints WHERE name = 'relay'), 0) AS behind`,
      );
      if (!rows[0]!.behind) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await db.end();
  }
  await new Promise((r) => setTimeout(r, quietMs));
}
