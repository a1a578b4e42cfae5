import { createPool } from '@slipway/event-log';
import { createTestDatabase, eventually } from '@slipway/testing';
import { Client, type Pool } from 'pg';
import { confirmTurnHeld, inNamespaceTurn, writeEachInTurn } from './namespace-lock';

/** What another deployer replica does to take a namespace's turn, asked without waiting. */
const TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('slipway:cluster'), hashtext($1)) AS ok";
const UNLOCK = "SELECT pg_advisory_unlock(hashtext('slipway:cluster'), hashtext($1))";

describe('one cluster command at a time per namespace', () => {
  let url: string;
  let pool: Pool;
  let replica: Client;
  const replicaGets = async (namespace: string): Promise<boolean> => {
    const ok = (await replica.query<{ ok: boolean }>(TRY_LOCK, [namespace])).rows[0]!.ok;
    if (ok) await replica.query(UNLOCK, [namespace]);
    return ok;
  };

  beforeAll(async () => {
    url = await createTestDatabase();
    // Two connections: a turn's lock and its work's own queries.
    pool = createPool(url, { max: 2 });
    replica = new Client({ connectionString: url });
    await replica.connect();
  });
  afterAll(async () => {
    await replica?.end();
    await pool?.end();
  });

  it('given a turn in progress, when another replica asks for the namespace, then it must wait; another namespace is free', async () => {
    const seen = await inNamespaceTurn(pool, 'ib-a', async () => ({ same: await replicaGets('ib-a'), other: await replicaGets('ib-b') }));
    expect(seen).toEqual({ same: false, other: true });
    expect(await replicaGets('ib-a')).toBe(true);
  });

  it('given a turn whose lock connection dropped while it worked, when it would record, then it fails instead; the next turn runs', async () => {
    const holder = async () => (await replica.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
        AND classid = (hashtext('slipway:cluster')::bigint & 4294967295)::oid AND objid = (hashtext($1)::bigint & 4294967295)::oid`, ['ib-lost'],
    )).rows.map((row) => row.pid);
    const confirmed = await inNamespaceTurn(pool, 'ib-lost', async () => {
      const before = await confirmTurnHeld().then(() => 'held', (error: Error) => error.message);
      // (a Postgres restart, an idle timeout, a proxy: the lock goes with the connection)
      const [pid] = await holder();
      await replica.query('SELECT pg_terminate_backend($1)', [pid]);
      // (a signal: the backend, and its lock, are gone a moment later)
      await eventually(async () => expect((await holder())).toEqual([]), 10_000, 20);
      // another replica takes the namespace meanwhile
      const taken = await replicaGets('ib-lost');
      const after = await confirmTurnHeld().then(() => 'held', (error: Error) => error.message);
      return { before, taken, after };
    });
    expect(confirmed).toEqual({ before: 'held', taken: true, after: 'lost the cluster turn of namespace "ib-lost" (its lock\'s connection dropped): stopped, to be retried in a turn of its own' });
    // outside a turn there is nothing to confirm, and the next turn holds its lock again
    await expect(confirmTurnHeld()).resolves.toBeUndefined();
    expect(await inNamespaceTurn(pool, 'ib-lost', async () => { await confirmTurnHeld(); return holder(); })).toHaveLength(1);
  });

  it('given writes carried out one by one in a turn, when its lock connection drops after the first, then no later one is written', async () => {
    const holder = async () => (await replica.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
        AND classid = (hashtext('slipway:cluster')::bigint & 4294967295)::oid AND objid = (hashtext($1)::bigint & 4294967295)::oid`, ['ib-writes'],
    )).rows.map((row) => row.pid);
    const written: string[] = [];
    const outcome = await inNamespaceTurn(pool, 'ib-writes', () => writeEachInTurn(['web', 'worker', 'db'], async (workload) => {
      written.push(workload);
      if (workload !== 'web') return;
      // (while the first was scaled, the lock went with its connection, and another replica took the namespace)
      const [pid] = await holder();
      await replica.query('SELECT pg_terminate_backend($1)', [pid]);
      await eventually(async () => expect(await holder()).toEqual([]), 10_000, 20);
      expect(await replicaGets('ib-writes')).toBe(true);
    })).then(() => 'done', (error: Error) => error.message);
    expect(outcome).toBe('lost the cluster turn of namespace "ib-writes" (its lock\'s connection dropped): stopped, to be retried in a turn of its own');
    expect(written).toEqual(['web']);
  });

  it('given a turn whose work fails, when it ends, then the namespace is free again and the next turn runs', async () => {
    await expect(inNamespaceTurn(pool, 'ib-a', async () => { throw new Error('API server gone'); })).rejects.toThrow('API server gone');
    expect(await replicaGets('ib-a')).toBe(true);
    expect(await inNamespaceTurn(pool, 'ib-a', async () => 'next')).toBe('next');
  });

  it('given many commands at once in one process, when they take turns, then they run one at a time, in order, without starving the pool', async () => {
    const ran: number[] = [];
    let running = 0;
    let most = 0;
    const turns = Array.from({ length: 6 }, (_, index) => inNamespaceTurn(pool, 'ib-a', async () => {
      most = Math.max(most, ++running);
      // The work's own query needs the pool's other connection: had every waiting turn taken
      // one to wait on the lock, this would wait forever.
      await pool.query('SELECT pg_sleep(0.01)');
      ran.push(index);
      running--;
    }));
    await Promise.all(turns);
    expect(ran).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(1);
    expect(await replicaGets('ib-a')).toBe(true);
  });
});
