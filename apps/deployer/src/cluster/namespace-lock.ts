import { AsyncLocalStorage } from 'node:async_hooks';
import { waitingUncounted } from '@slipway/bus';
import { keepServerSideAlive } from '@slipway/event-log';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

/**
 * One cluster command at a time per namespace, for the commands that read the recorded
 * cluster state, act on Kubernetes, then record (push, resize, hibernate, revive,
 * autoscaling pause and resume). Run together, one acts on a state the other is changing:
 * a revive landing between a push's read of `hibernated` and its applies leaves the
 * workloads forced back to 0 while the cluster is recorded awake. Every cluster command
 * (job and pod ones too) also checks in its turn that it has no recorded outcome yet
 * (once-in-turn.ts), so a concurrent duplicate cannot act twice.
 *
 * Across deployer replicas the turn is a session advisory lock, held on a connection of its
 * own for the whole handler: the Kubernetes calls happen outside any transaction, so a
 * transaction-scoped lock could not cover them. The two-key form keeps these locks apart
 * from the single-key ones (relay leadership holds one for as long as it runs).
 *
 * Within a process, commands for a namespace first wait in memory, so that at most one pool
 * connection per namespace waits on the lock: up to 64 handlers run at once, and if each
 * held a connection while waiting, the holder could find the pool empty for its own queries.
 *
 * A holder stopped with its connection up (SIGSTOP, a paused VM, a hung event loop) would
 * keep the namespace from every replica for as long as it is stopped: its lock's session is
 * ended by the server once silent for `releaseAfterSilentMs` (idle_session_timeout, as the
 * relay's leadership does), and a heartbeat keeps it from falling silent while the holder
 * runs. Resumed, the holder finds its turn lost before it writes or records again
 * (confirmTurnHeld), as after any dropped connection.
 */
export async function inNamespaceTurn<T>(db: Pool, namespace: string, work: () => Promise<T>, timing: Partial<TurnTiming> = {}): Promise<T> {
  // A command waiting in line is not the one a process dies of (waitingUncounted).
  return waitingUncounted((turnBegins) => inProcessTurn(namespace, () => holdingAdvisoryLock(db, namespace, { ...TIMING, ...timing }, async () => {
    await turnBegins();
    return work();
  })));
}

export interface TurnTiming {
  /** How often the holder's lock connection is asked whether it is still there. */
  checkEveryMs: number;
  /** How long the server keeps a holder's lock connection that is asked nothing (see inNamespaceTurn). */
  releaseAfterSilentMs: number;
}

/** The relay's leadership's: an event loop held up for a minute is a holder gone. */
const TIMING: TurnTiming = { checkEveryMs: 5_000, releaseAfterSilentMs: 60_000 };

const LOCK = "SELECT pg_advisory_lock(hashtext('slipway:cluster'), hashtext($1))";
const UNLOCK = "SELECT pg_advisory_unlock(hashtext('slipway:cluster'), hashtext($1))";
/** Whether this session still holds the lock (a two-key advisory lock: objsubid 2, the keys as oids). */
const HELD = `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 2
  AND classid = (hashtext('slipway:cluster')::bigint & 4294967295)::oid AND objid = (hashtext($1)::bigint & 4294967295)::oid) AS held`;

/** The running turn's check that its lock is still held. */
const turnHeld = new AsyncLocalStorage<() => Promise<void>>();

/**
 * Called before a command records what it did on the cluster: the turn's lock must still
 * be held. A lock connection that dropped while the work was talking to Kubernetes let
 * another replica take the namespace meanwhile, so what this one read before acting may be
 * stale: it fails (the bus delivers the command again, to a fresh turn) rather than record.
 * Outside a turn, nothing to confirm.
 */
export async function confirmTurnHeld(): Promise<void> {
  await turnHeld.getStore()?.();
}

/**
 * Writes each item to the cluster, one after another, each only while the turn's lock is
 * still held. A command carrying out what it recorded (scaling every workload to sleep, say)
 * whose lock connection dropped meanwhile stops at the next write: another replica may have
 * taken the namespace and recorded the opposite (a revive), and going on would undo it on
 * the cluster while the log says otherwise. Delivered again, the command finishes only what
 * of its intent still stands.
 */
export async function writeEachInTurn<T>(items: Iterable<T>, write: (item: T) => Promise<void>): Promise<void> {
  for (const item of items) {
    await confirmTurnHeld();
    await write(item);
  }
}

async function holdingAdvisoryLock<T>(db: Pool, namespace: string, timing: TurnTiming, work: () => Promise<T>): Promise<T> {
  const client: PoolClient = await db.connect();
  let lost = false;
  // A connection dropped while idle between queries must not crash the process; Postgres has
  // released the lock with it, and the connection is discarded below.
  const onError = () => { lost = true; };
  client.on('error', onError);
  let unlocked = false;
  try {
    // A deployer gone without a word must not keep the namespace for the OS's two hours.
    await keepServerSideAlive(client);
    // Refused by a server before 14 (or a pooler): the lock is then held, as before, for as long as the connection is up.
    const timeoutSet = await client.query(`SET idle_session_timeout = ${Math.round(timing.releaseAfterSilentMs)}`).then(() => true, () => false);
    await client.query(LOCK, [namespace]);
    const query = oneAtATime(client);
    const heartbeat = setInterval(() => { query('SELECT 1').catch(onError); }, timing.checkEveryMs);
    const check = async () => {
      const held = !lost && (await query<{ held: boolean }>(HELD, [namespace]).then((result) => result.rows[0]?.held, () => false));
      if (!held) {
        lost = true;
        throw new Error(`lost the cluster turn of namespace "${namespace}" (its lock's connection dropped): stopped, to be retried in a turn of its own`);
      }
    };
    // Applies under way at once (a push's) share the check in flight: each is made after it began.
    let checking: Promise<void> | undefined;
    const confirm = () => (checking ??= check().finally(() => { checking = undefined; }));
    try {
      return await turnHeld.run(confirm, work);
    } finally {
      clearInterval(heartbeat);
      // Pooled again without its timeout: idle in the pool, it would be ended under it.
      unlocked = !lost && await query(UNLOCK, [namespace]).then(async () => { if (timeoutSet) await query('RESET idle_session_timeout'); }).then(() => true, () => false);
    }
  } finally {
    client.off('error', onError);
    // A connection that may still hold the lock (or its timeout) is closed rather than pooled: closing frees it.
    client.release(!unlocked);
  }
}

/**
 * The client's queries one after another: the heartbeat, the checks of a push's applies and
 * the unlock may come at once (a Postgres that hangs holds each), and pg takes a query while
 * another runs only with a deprecation warning (pg 9 will refuse it).
 */
function oneAtATime(client: PoolClient): <R extends QueryResultRow>(text: string, values?: unknown[]) => Promise<QueryResult<R>> {
  let last: Promise<unknown> = Promise.resolve();
  return <R extends QueryResultRow>(text: string, values?: unknown[]) => {
    const next = last.then(() => client.query<R>(text, values));
    last = next.catch(() => undefined);
    return next;
  };
}

const turns = new Map<string, Promise<void>>();

function inProcessTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = turns.get(key) ?? Promise.resolve();
  const mine = before.then(work);
  const done = mine.then(() => undefined, () => undefined);
  turns.set(key, done);
  // The last in line removes the key, so the map holds only namespaces with work queued.
  void done.then(() => { if (turns.get(key) === done) turns.delete(key); });
  return mine;
}
