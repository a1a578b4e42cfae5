import type { Sql } from './database';

/** Outcomes removed per statement: each a short transaction, so no writer waits long on it. */
const PRUNED_PER_BATCH = 5_000;
/** Batches per sweep: a backlog (a first sweep of a large table, a retention shortened) goes over a few sweeps. */
const BATCHES_PER_SWEEP = 20;
/** How often each service process sweeps. */
export const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Removes command outcomes recorded more than `retentionHours` ago (SLIPWAY_COMMAND_RETENTION_HOURS),
 * oldest first, at most `limit`; returns how many. An outcome answers a command delivered
 * or resent again under its id, and its status URL: past the retention a resend is decided
 * anew, as an idempotency key that has expired is elsewhere. Kept whatever their age: those of
 * successes moved to the dead-letter stream, which a redrive finishes under their own id
 * (command-outcomes.ts, noteDeadLettered). Several processes sweep at once without waiting
 * on each other's rows.
 */
export async function pruneOutcomes(sql: Sql, retentionHours: number, limit = PRUNED_PER_BATCH): Promise<number> {
  const { rowCount } = await sql.query(
    // By row address: asked to join on command_id, the planner read the whole table for a
    // batch it expected to be large. The rows are locked, so their addresses hold.
    `DELETE FROM command_outcomes WHERE ctid = ANY(ARRAY(
       SELECT ctid FROM command_outcomes
       WHERE completed_at < now() - make_interval(hours => $1) AND dead_lettered_at IS NULL
       ORDER BY completed_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
    [retentionHours, limit],
  );
  return rowCount ?? 0;
}

export interface OutcomePruning {
  /** One sweep now (as the timer runs them): the outcomes it removed. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Sweeps outcomes past their retention at start and every `everyMs` while the process runs
 * (one sweep at a time); a sweep that fails (Postgres away) is reported and tried at the next.
 */
export function startOutcomePruning(sql: Sql, retentionHours: number, onError: (error: unknown) => void, everyMs = PRUNE_EVERY_MS): OutcomePruning {
  let running: Promise<number> = Promise.resolve(0);
  let stopped = false;
  const sweep = (): Promise<number> => {
    running = running.then(async () => {
      let removed = 0;
      for (let batch = 0; batch < BATCHES_PER_SWEEP && !stopped; batch++) {
        const pruned = await pruneOutcomes(sql, retentionHours);
        removed += pruned;
        if (pruned < PRUNED_PER_BATCH) break;
      }
      return removed;
    }).catch((error: unknown) => {
      onError(error);
      return 0;
    });
    return running;
  };
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  void sweep();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
