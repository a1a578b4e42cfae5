import type { Pool } from 'pg';
import type { Sql } from './database';

/**
 * A stand-in for the pool that runs each query under EXPLAIN ANALYZE and records how many
 * rows each step of its plan examined (returned, and removed by its filters, over its loops),
 * answering `rows` instead of the query's: for tests that a read goes through an index, not
 * through the log.
 */
export function planReads(pool: Pool, rows: unknown[] = []): { sql: Sql & Pool; examined: number[]; most: () => number } {
  const examined: number[] = [];
  const walk = (node: Record<string, unknown>): void => {
    const removed = ['Rows Removed by Filter', 'Rows Removed by Join Filter', 'Rows Removed by Index Recheck'].reduce((n, key) => n + Number(node[key] ?? 0), 0);
    examined.push((Number(node['Actual Rows'] ?? 0) + removed) * Number(node['Actual Loops'] ?? 1));
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  const sql = {
    query: async (text: string, params: unknown[]) => {
      const { rows: plan } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
      walk(plan[0]['QUERY PLAN'][0].Plan);
      return { rows };
    },
  };
  return { sql: sql as unknown as Sql & Pool, examined, most: () => Math.max(...examined) };
}
