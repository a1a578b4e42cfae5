import { Pool, type ClientBase, type PoolClient, types } from 'pg';

// bigint positions fit in a double for any realistic log; xid8 stays text.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export type Sql = Pool | PoolClient;

/**
 * A pool whose connections resolve unqualified names in `schema` first: each service's
 * read models live in a schema of its own, the event log in `public`.
 */
/**
 * How long a session may sit idle inside a transaction before the server ends it. Slipway's
 * transactions run SQL and in-memory work only (Kubernetes calls happen outside them); a
 * session idle in one this long belongs to a process stopped mid-transaction (SIGSTOP, a
 * paused VM) while keeping its connection up, whose locks (a projection's turn, the rows or
 * the config-store's turn a writer waits on) would otherwise hold every other instance for as
 * long as it is stopped. Long, because the server counts a live process's own work between
 * two statements as idle too: a command that works longer (materializing a large upload) is
 * ended each time and retried as in an outage, so the bound sits far above any such work.
 */
export const IDLE_IN_TRANSACTION_MS = 5 * 60_000;

export function createPool(url: string, options: { max?: number; schema?: string; idleInTransactionMs?: number } = {}): Pool {
  const settings = [
    ...(options.schema ? [`-c search_path=${options.schema},public`] : []),
    `-c idle_in_transaction_session_timeout=${options.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS}`,
  ];
  const pool = new Pool({
    connectionString: url, max: options.max ?? 10, idleTimeoutMillis: 30_000,
    // A server that stops answering without closing (a host gone, a partition): a connect
    // (or a wait for a free client) gives up after 10 s, and TCP keepalive probes start
    // after 10 s of silence rather than the kernel's 2 hours. Either failure is transient
    // (libs/bus/src/transient.ts), so the work is retried, not dead-lettered.
    connectionTimeoutMillis: 10_000, keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    options: settings.join(' '),
  });
  // A client that loses its server must not crash the process; the next query reconnects.
  // The pool forwards an idle client's `error` to the pool's listener; a checked-out one's
  // (a restart or pg_terminate_backend while a service holds it) goes to the client's own
  // listeners, so every client gets one. Its work still fails, through its query, and
  // release() drops the dead client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Runs `work` on one client of the pool, for work that opens its own transaction: if it
 * throws, whatever transaction it left open is rolled back before the client goes back.
 */
export async function onClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } catch (error) {
    // Whatever the client says of its transaction: a query that failed may have opened one
    // (`BEGIN; …` sent as one), and the client learns so only after its error is thrown.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Rolls back the transaction `client` has open, a failed one included, so that it takes
 * queries again. Sends nothing where none is open: Postgres answers a ROLLBACK there with a
 * warning in its log ("there is no transaction in progress"), which every rebuild left,
 * one at each service's first start. Only after work that succeeded: the status is the one
 * the server reported when it was last ready, and a query that failed is thrown on its error,
 * before that report — `BEGIN; SELECT 1/0` sent as one read as no transaction one time in 20
 * (a review), and the client went back to the pool in a failed one. Error paths roll back.
 */
export async function rollbackIfOpen(client: ClientBase): Promise<void> {
  if (client.getTransactionStatus() === 'I') return;
  await client.query('ROLLBACK').catch(() => undefined);
}

/** Runs `work` in one transaction on one client: commit on success, roll back on throw. */
export function inTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  return onClient(pool, async (tx) => {
    await tx.query('BEGIN');
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  });
}

/**
 * The server's side of a connection lost without a word (the holder's machine gone, a
 * network cut): Postgres keeps a session's advisory locks until TCP gives the connection up,
 * which by the operating system's defaults takes over two hours. Probed, it takes under half
 * a minute. For connections that hold a lock for long (leadership, a namespace's cluster
 * turn, an export's claim). Set each on its own, any refusal ignored: a pooler in front of
 * Postgres may refuse them (or ignore them), and the holder works without them.
 */
export async function keepServerSideAlive(client: { query(text: string): Promise<unknown> }): Promise<void> {
  // Once per connection: a pool hands the same one out again, and the settings last its session.
  if (keptAlive.has(client)) return;
  keptAlive.add(client);
  for (const setting of ['SET tcp_keepalives_idle = 10', 'SET tcp_keepalives_interval = 5', 'SET tcp_keepalives_count = 3']) {
    await client.query(setting).catch(() => undefined);
  }
}

const keptAlive = new WeakSet<object>();
