import { createPool } from '@slipway/event-log';
import { createTestDatabase } from '@slipway/testing';
import { Client, type Pool } from 'pg';
import { confirmTurnHeld, inNamespaceTurn, writeEachInTurn } from './namespace-lock';
import { dropTurnHolder, turnHolders } from './namespace-lock.testing';

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
    const confirmed = await inNamespaceTurn(pool, 'ib-lost', async () => {
      const before = await confirmTurnHeld().then(() => 'held', (error: Error) => error.message);
      // (a Postgres restart, an idle timeout, a proxy: the lock goes with the connection)
      await dropTurnHolder(replica, 'ib-lost');
      // another replica takes the namespace meanwhile
      const taken = await replicaGets('ib-lost');
      const after = await confirmTurnHeld().then(() => 'held', (error: Error) => error.message);
      return { before, taken, after };
    });
    expect(confirmed).toEqual({ before: 'held', taken: true, after: 'lost the cluster turn of namespace "ib-lost" (its lock\'s connection dropped): stopped, to be retried in a turn of its own' });
    // outside a turn there is nothing to confirm, and the next turn holds its lock again
    await expect(confirmTurnHeld()).resolves.toBeUndefined();
    expect(await inNamespaceTurn(pool, 'ib-lost', async () => { await confirmTurnHeld(); return turnHolders(replica, 'ib-lost'); })).toHaveLength(1);
  });

  it('given writes carried out one by one in a turn, when its lock connection drops after the first, then no later one is written', async () => {
    const written: string[] = [];
    const outcome = await inNamespaceTurn(pool, 'ib-writes', () => writeEachInTurn(['web', 'worker', 'db'], async (workload) => {
      written.push(workload);
      if (workload !== 'web') return;
      // (while the first was scaled, the lock went with its connection, and another replica took the namespace)
      await dropTurnHolder(replica, 'ib-writes');
      expect(await replicaGets('ib-writes')).toBe(true);
    })).then(() => 'done', (error: Error) => error.message);
    expect(outcome).toBe('lost the cluster turn of namespace "ib-writes" (its lock\'s connection dropped): stopped, to be retried in a turn of its own');
    expect(written).toEqual(['web']);
  });

  it('given a holder gone silent (stopped, its event loop hung) past the time allowed, then the namespace is freed, and resumed, the holder finds its turn lost', async () => {
    // Silence allowed 2 s, not 0.5 s: a loaded machine's event loop can stall for half a second
    // (its heartbeats then unsent, the holder at work would lose its turn); the waits below are
    // multiples of it, so what they show does not depend on the machine's speed.
    const timing = { checkEveryMs: 50, releaseAfterSilentMs: 2_000 };
    const seen = await inNamespaceTurn(pool, 'ib-silent', async () => {
      // a holder at work sends its heartbeat: it keeps the namespace past the time allowed
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const whileAlive = await replicaGets('ib-silent');
      // (the process stopped, as by SIGSTOP: nothing it would send is sent)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5_000);
      const taken = await replicaGets('ib-silent');
      const after = await confirmTurnHeld().then(() => 'held', (error: Error) => error.message);
      return { whileAlive, taken, after };
    }, timing);
    expect(seen).toEqual({ whileAlive: false, taken: true, after: 'lost the cluster turn of namespace "ib-silent" (its lock\'s connection dropped): stopped, to be retried in a turn of its own' });
    // the connection goes back to the pool without the timeout: idle there past it, it is still usable
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await inNamespaceTurn(pool, 'ib-silent', async () => { await confirmTurnHeld(); return 'next'; }, timing)).toBe('next');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const settings = await Promise.all([pool.connect(), pool.connect()].map(async (pending) => {
      const client = await pending;
      try {
        return (await client.query<{ setting: string }>("SELECT current_setting('idle_session_timeout') AS setting")).rows[0]!.setting;
      } finally {
        client.release();
      }
    }));
    expect(settings).toEqual(['0', '0']);
  });

  it('given applies under way at once (a push\'s), when each confirms the turn, then the lock\'s connection runs one query at a time (pg warns of overlapping ones, and pg 9 refuses them)', async () => {
    // given a pool whose connections count the queries running on each at once
    let most = 0;
    const counted = createPool(url, { max: 2 });
    counted.on('connect', (client) => {
      let running = 0;
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
        most = Math.max(most, ++running);
        try {
          return await query(...args);
        } finally {
          running--;
        }
      };
    });
    try {
      await inNamespaceTurn(counted, 'ib-parallel', () => Promise.all(Array.from({ length: 8 }, () => confirmTurnHeld())), { checkEveryMs: 1 });
      expect(most).toBe(1);
    } finally {
      await counted.end();
    }
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
