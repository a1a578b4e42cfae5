import { keepServerSideAlive } from '@slipway/event-log';
import type { Pool, PoolClient } from 'pg';

// The two-key form, with a first key of its own, keeps these locks apart from the
// single-key ones (relay leadership, migrations) and from other two-key users.
const TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('slipway:telescope-export'), hashtext($1)) AS ok";
const UNLOCK = "SELECT pg_advisory_unlock(hashtext('slipway:telescope-export'), hashtext($1))";

/** This process's hold on one export: release it when the collection is over. */
export interface ExportClaim {
  release(): Promise<void>;
}

/**
 * Claims an export's collection across telemetry processes, or answers undefined when
 * another session holds it. The claim is a session advisory lock on a pool connection kept
 * for the claim's whole life (the collection runs outside any transaction, so a
 * transaction-scoped lock could not cover it); if the process or its connection dies,
 * Postgres lets go of the lock with the session.
 */
export async function claimExport(db: Pool, id: string): Promise<ExportClaim | undefined> {
  const client = await db.connect();
  let lost = false;
  // A connection dropped while held idle must not crash the process: the lock went with it.
  const onError = () => { lost = true; };
  client.on('error', onError);
  const giveBack = (discard: boolean) => {
    client.off('error', onError);
    client.release(discard || lost);
  };
  try {
    // A process gone without a word must not keep the export for the OS's two hours.
    await keepServerSideAlive(client);
    const { rows } = await client.query<{ ok: boolean }>(TRY_LOCK, [id]);
    if (!rows[0]?.ok) {
      giveBack(false);
      return undefined;
    }
  } catch (error) {
    giveBack(true);
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // Unlocked, the connection goes back to the pool; if unlocking fails it is closed,
      // which ends the session and so the lock.
      const unlocked = !lost && await client.query(UNLOCK, [id]).then(() => true, () => false);
      giveBack(!unlocked);
    },
  };
}
