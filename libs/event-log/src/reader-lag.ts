import type { Sql } from './database';

/** How long a reader may leave an event behind, its checkpoint unmoved, before it is stuck (platform status, replay). */
export const STUCK_AFTER_MS = 60_000;

/** Where a reader of the log (the relay, a projection that follows it) stands. */
export interface ReaderLag {
  name: string;
  /** It has left an event behind for longer than the bound, its checkpoint unmoved as long. */
  stuck: boolean;
  /** When its checkpoint last moved; absent when it never stored one. */
  movedAt?: string;
  /** When the oldest event it has not taken was written (its command issued); absent when it has taken all. */
  oldestLeftAt?: string;
}

/**
 * How the readers named (checkpoint names) keep up with the log. A reader is stuck when the
 * first event past its checkpoint that every transaction sees was written more than
 * `boundMs` ago and its checkpoint has not moved for as long: failing on that event (and
 * retrying it without end), without a leader, or with a leader stopped while holding its
 * lock. Read from the database, so it tells whichever instance runs the reader; a reader that
 * is only busy moves its checkpoint with every batch.
 */
export async function readerLag(sql: Sql, names: string[], boundMs: number, now = Date.now()): Promise<ReaderLag[]> {
  const { rows } = await sql.query<{ name: string; moved_at: Date | null; oldest_left_at: string | null }>(
    `SELECT n.name, c.updated_at AS moved_at, (
       SELECT e.metadata->>'occurredAt' FROM events e
       WHERE (e.transaction_id, e.position) > (COALESCE(c.transaction_id, '0'::xid8), COALESCE(c.position, 0))
         AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY e.transaction_id, e.position LIMIT 1) AS oldest_left_at
     FROM unnest($1::text[]) WITH ORDINALITY AS n(name, i) LEFT JOIN checkpoints c ON c.name = n.name
     ORDER BY n.i`,
    [names],
  );
  return rows.map((row) => {
    const left = row.oldest_left_at === null ? undefined : Date.parse(row.oldest_left_at);
    const stuck = left !== undefined && now - left > boundMs && (row.moved_at === null || now - row.moved_at.getTime() > boundMs);
    return {
      name: row.name, stuck,
      ...(row.moved_at ? { movedAt: row.moved_at.toISOString() } : {}),
      ...(left !== undefined && Number.isFinite(left) ? { oldestLeftAt: new Date(left).toISOString() } : {}),
    };
  });
}
