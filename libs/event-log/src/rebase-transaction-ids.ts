import { Client } from 'pg';
import { MIGRATION_LOCK } from './migrate';

export interface RebaseReport {
  /** Distinct transaction ids the log and its checkpoints held (and now hold, renumbered). */
  transactions: number;
  /** Transaction ids this server used up so that every renumbered one lies behind its next. */
  advancedBy: number;
  rebased: boolean;
}

/** Every transaction id the log and its checkpoints hold (a checkpoint at the start holds none). */
const TRANSACTION_IDS = "(SELECT DISTINCT transaction_id AS id FROM events UNION SELECT transaction_id FROM checkpoints WHERE transaction_id <> '0') ids";

/** How many transaction ids one procedure call uses up between reports. */
const ADVANCE_STEP = 100_000;

/**
 * Renumbers the transaction ids of a log restored from a logical dump of another server
 * (see refuseForeignTransactionIds), keeping their order: 1, 2, 3... for its distinct ids
 * in order, in the events and the checkpoints alike, so every reader's order and position
 * is what it was. First this server's own ids are advanced past that many (each a
 * transaction committed without waiting for its flush), so that everything committed from
 * now on sorts after the restored log. For the services stopped: it holds the lock they
 * take to migrate, and the log's tables for the renumbering.
 */
export async function rebaseTransactionIds(url: string, progress: (advanced: number) => void = () => undefined): Promise<RebaseReport> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const { rows } = await client.query<{ transactions: string; highest: string | null; next: string }>(
      `SELECT count(*)::text AS transactions, max(id)::text AS highest, pg_snapshot_xmax(pg_current_snapshot())::text AS next
         FROM ${TRANSACTION_IDS}`,
    );
    const transactions = Number(rows[0]!.transactions);
    const { highest, next } = rows[0]!;
    if (highest === null || BigInt(highest) < BigInt(next)) return { transactions, advancedBy: 0, rebased: false };
    await refuseOtherSessions(client);
    const needed = Math.max(0, transactions + 1 - Number(next));
    await client.query('SET synchronous_commit = off');
    for (let advanced = 0; advanced < needed; advanced += ADVANCE_STEP) {
      // A transaction per id: one that only takes its id and commits.
      await client.query(`DO $$ BEGIN FOR i IN 1..${Math.min(ADVANCE_STEP, needed - advanced)} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
      progress(Math.min(advanced + ADVANCE_STEP, needed));
    }
    await client.query('RESET synchronous_commit');
    await client.query('BEGIN');
    await client.query('LOCK TABLE events, checkpoints IN ACCESS EXCLUSIVE MODE');
    await client.query(`CREATE TEMP TABLE renumbered ON COMMIT DROP AS
      SELECT id AS old, (row_number() OVER (ORDER BY id))::text::xid8 AS new
        FROM ${TRANSACTION_IDS}`);
    await client.query('UPDATE events SET transaction_id = r.new FROM renumbered r WHERE events.transaction_id = r.old');
    await client.query('UPDATE checkpoints SET transaction_id = r.new FROM renumbered r WHERE checkpoints.transaction_id = r.old');
    await client.query('COMMIT');
    return { transactions, advancedBy: needed, rebased: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * The services must be stopped: one still running (an older version does not refuse a
 * foreign log) could store a checkpoint with an old id after the renumbering, ahead of
 * every renumbered one, and its reader would pass over them all.
 */
async function refuseOtherSessions(client: Client): Promise<void> {
  const { rows } = await client.query<{ n: number; names: string | null }>(
    `SELECT count(*)::int AS n, string_agg(DISTINCT nullif(application_name, ''), ', ') AS names FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
  );
  const { n, names } = rows[0]!;
  if (n > 0) throw new Error(`${n} other connection${n === 1 ? ' is' : 's are'} open to this database${names ? ` (${names})` : ''}: stop every service (and anything else using it) first`);
}
