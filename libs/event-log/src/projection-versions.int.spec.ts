import { createTestDatabase, eventually } from '@slipway/testing';
import type { Pool } from 'pg';
import { appendToStream } from './append';
import { createPool, inTransaction } from './database';
import { migrate } from './migrate';
import type { Decider } from './decider';
import { handleCommand } from './handle-command';
import { handlesTypes, type Projection } from './projection';
import { bringProjectionsUpToDate, NewerProjectionRules, NewerProjectionVersion, repairProjection, takeWritersTurn } from './projection-versions';
import { rebuildAndCompare } from './rebuild';

const meta = { commandId: 'c', correlationId: 'c', actor: 'test', schemaVersion: 1, occurredAt: '2026-12-02T00:00:00Z' };

/** A projection of the stream lengths whose rules an upgrade changes: `factor` × the count. */
const lengths = (version: number, factor: number): Projection => ({
  name: 'lengths', tables: ['lengths'], handles: handlesTypes(['seen']), version,
  async apply(tx, events) {
    for (const e of events) {
      await tx.query('INSERT INTO lengths VALUES ($1, $2) ON CONFLICT (stream) DO UPDATE SET n = lengths.n + EXCLUDED.n', [e.streamId, factor]);
    }
  },
});

describe('versioned projections', () => {
  let pool: Pool;
  const live = async () => Object.fromEntries((await pool.query<{ stream: string; n: number }>('SELECT stream, n FROM lengths ORDER BY stream')).rows.map((r) => [r.stream, r.n]));
  const recorded = async () => (await pool.query('SELECT version FROM projection_versions WHERE name = $1', ['lengths'])).rows[0]?.version;

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url);
    const admin = createPool(url);
    await admin.query('CREATE SCHEMA vp; CREATE TABLE vp.lengths (stream text PRIMARY KEY, n int NOT NULL)');
    await admin.end();
    pool = createPool(url, { schema: 'vp' });
  });
  afterAll(() => pool.end());

  it('repairs the live rows when a service starts with other rules, once, and records the version', async () => {
    const v1 = lengths(1, 1);
    await inTransaction(pool, async (tx) => {
      await appendToStream(tx, 'a', 0, [{ type: 'seen', data: {} }, { type: 'seen', data: {} }], meta);
      await v1.apply(tx, [{ type: 'seen', data: {}, streamId: 'a', streamVersion: 1, metadata: meta, position: 0, transactionId: '', eventId: '' },
        { type: 'seen', data: {}, streamId: 'a', streamVersion: 2, metadata: meta, position: 0, transactionId: '', eventId: '' }]);
    });
    // No version recorded yet (tables built before versions were kept): checked, equal, recorded.
    expect(await bringProjectionsUpToDate(pool, 'vp', [v1])).toEqual([{ projection: 'lengths', from: null, to: 1, repaired: false }]);
    expect(await recorded()).toBe(1);
    expect(await bringProjectionsUpToDate(pool, 'vp', [v1])).toEqual([]);

    // An upgrade: the same events now give other rows.
    const v2 = lengths(2, 10);
    expect(await bringProjectionsUpToDate(pool, 'vp', [v2])).toEqual([{ projection: 'lengths', from: 1, to: 2, repaired: true }]);
    expect(await live()).toEqual({ a: 20 });
    expect(await recorded()).toBe(2);
    expect(await bringProjectionsUpToDate(pool, 'vp', [v2])).toEqual([]);
  });

  it('records the version a repair by hand rebuilt with, so the next start does not rebuild again', async () => {
    const v3 = lengths(3, 100);
    expect(await repairProjection(pool, 'vp', v3)).toMatchObject({ equal: false, repaired: true });
    expect(await live()).toEqual({ a: 200 });
    expect(await recorded()).toBe(3);
    expect(await bringProjectionsUpToDate(pool, 'vp', [v3])).toEqual([]);
  });

  it('refuses to rebuild rows a newer version built, naming both versions, and leaves them as they are', async () => {
    // A service of the version before (v3 rules recorded) restarting while its newer peers roll out.
    await expect(bringProjectionsUpToDate(pool, 'vp', [lengths(2, 10)])).rejects.toThrow(
      'the projection "lengths" was built by a newer version of Slipway (version 3 of its rules; this one has 2)',
    );
    expect(await live()).toEqual({ a: 200 });
    expect(await recorded()).toBe(3);
    // A repair run from the older version's image refuses too, unless told to go back for good:
    // then it rebuilds with the older rules and records them.
    await expect(repairProjection(pool, 'vp', lengths(2, 10))).rejects.toThrow('`npm run replay -- --repair --downgrade`');
    expect(await live()).toEqual({ a: 200 });
    expect(await repairProjection(pool, 'vp', lengths(2, 10), { downgrade: true })).toMatchObject({ repaired: true });
    expect(await live()).toEqual({ a: 20 });
    expect(await recorded()).toBe(2);
    expect(await repairProjection(pool, 'vp', lengths(3, 100))).toMatchObject({ repaired: true });
  });

  it('leaves projections without a version alone', async () => {
    const { version: _v, ...unversioned } = lengths(4, 1000);
    expect(await bringProjectionsUpToDate(pool, 'vp', [unversioned])).toEqual([]);
    expect(await live()).toEqual({ a: 200 });
  });
});

/** Totals whose writers take a turn (as the config-store's do): `factor` × the events seen. */
const totals = (version: number, factor: number): Projection => ({
  name: 'totals', tables: ['totals'], handles: handlesTypes(['counted']), version, writersLock: 'vp-totals-writers',
  async apply(tx, events) {
    for (const e of events) await tx.query('INSERT INTO totals VALUES ($1, $2) ON CONFLICT (stream) DO UPDATE SET n = totals.n + EXCLUDED.n', [e.streamId, factor]);
  },
});
const counter: Decider<null, Record<string, never>, { type: 'counted'; data: Record<string, never> }> = {
  initialState: () => null, evolve: () => null, decide: () => [{ type: 'counted', data: {} }],
};

describe('writers of a versioned projection while a newer version rolls out', () => {
  let pool: Pool;
  let sent = 0;
  /** A command of an instance whose rules are `projection`'s; `whileHolding` runs once it has its turn. */
  const count = (projection: Projection, stream: string, whileHolding?: () => Promise<void>) => handleCommand(
    pool, { commandId: `count-${++sent}`, correlationId: 'c', actor: 'tester', issuedAt: new Date().toISOString() },
    {
      subject: 'cmd.test.count.v1', streamId: stream, decider: counter, result: () => null, projections: [projection],
      command: async (tx) => {
        await takeWritersTurn(tx, projection);
        await whileHolding?.();
        return {};
      },
    },
  );
  const live = async () => Object.fromEntries((await pool.query<{ stream: string; n: number }>('SELECT stream, n FROM totals ORDER BY stream')).rows.map((r) => [r.stream, r.n]));

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url);
    const admin = createPool(url);
    await admin.query('CREATE SCHEMA vt; CREATE TABLE vt.totals (stream text PRIMARY KEY, n int NOT NULL)');
    await admin.end();
    pool = createPool(url, { schema: 'vt' });
  });
  afterAll(() => pool.end());

  it('refuses a writer with older rules once the rows are rebuilt with newer ones, as a dependency down (its command is retried)', async () => {
    const [v1, v2] = [totals(1, 1), totals(2, 10)];
    await bringProjectionsUpToDate(pool, 'vt', [v1]);
    await count(v1, 'a');
    // when an instance of the newer version starts and rebuilds the rows with its rules
    expect(await bringProjectionsUpToDate(pool, 'vt', [v2])).toEqual([{ projection: 'totals', from: 1, to: 2, repaired: true }]);
    // then an instance of the version before, still running, writes nothing with its rules
    await expect(count(v1, 'b')).rejects.toThrow(NewerProjectionRules);
    expect(await live()).toEqual({ a: 10 });
    // and the newer one writes the command when it comes to it: the rows stay as the newer rules build them
    await count(v2, 'b');
    expect(await live()).toEqual({ a: 10, b: 10 });
    expect((await rebuildAndCompare(pool, 'vt', v2)).equal).toBe(true);
  });

  it('rebuilds with the newer rules what a writer with older ones committed while the repair waited for its turn', async () => {
    const [v2, v3] = [totals(2, 10), totals(3, 100)];
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => { letGo = resolve; });
    let turnTaken!: () => void;
    const taken = new Promise<void>((resolve) => { turnTaken = resolve; });
    // given a writer with the older rules holding its turn
    const writing = count(v2, 'c', async () => { turnTaken(); await held; });
    await taken;
    // when the newer version's repair starts meanwhile, and the writer then commits
    const repair = bringProjectionsUpToDate(pool, 'vt', [v3]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    letGo();
    await writing;
    expect(await repair).toEqual([{ projection: 'totals', from: 2, to: 3, repaired: true }]);
    // then the rows are what the newer rules build from the whole log, the writer's event included
    expect(await live()).toEqual({ a: 100, b: 100, c: 100 });
    expect((await rebuildAndCompare(pool, 'vt', v3)).equal).toBe(true);
  });

  /** Holds the writers' turn on a session of its own until `release` is called; `queued(n)` waits until n sessions wait behind it. */
  const holdTurn = async () => {
    const holder = await pool.connect();
    await holder.query("SELECT pg_advisory_lock(hashtext('vp-totals-writers'))");
    const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    return {
      queued: (n: number) => eventually(async () => {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
        expect(rows[0]!.n).toBeGreaterThanOrEqual(n);
      }, 10_000, 20),
      release: async () => {
        await holder.query("SELECT pg_advisory_unlock(hashtext('vp-totals-writers'))");
        holder.release();
      },
    };
  };

  it('refuses a writer that gets its turn just after the repair\'s, before it writes anything', async () => {
    const [v3, v4] = [totals(3, 100), totals(4, 1000)];
    const turn = await holdTurn();
    // given the newer version's repair waiting for the turn, and a writer with older rules behind it
    const repair = repairProjection(pool, 'vt', v4);
    await turn.queued(1);
    const writing = count(v3, 'd').then(() => 'written', (error: unknown) => error);
    await turn.queued(2);
    await turn.release();
    // then the repair records its version with its rows, and the writer, given the turn next, is refused
    expect(await repair).toMatchObject({ repaired: true });
    expect(await writing).toBeInstanceOf(NewerProjectionRules);
    expect(await live()).toEqual({ a: 1000, b: 1000, c: 1000 });
  });

  it('refuses a repair with older rules that gets the turn after a newer one recorded its version, leaving the newer rows', async () => {
    const [v4, v5] = [totals(4, 1000), totals(5, 10_000)];
    const turn = await holdTurn();
    // given a newer repair, then an older one (run by hand from the image before), both waiting for the turn
    const newer = repairProjection(pool, 'vt', v5);
    await turn.queued(1);
    const older = repairProjection(pool, 'vt', v4).then(() => 'repaired', (error: unknown) => error);
    await turn.queued(2);
    await turn.release();
    expect(await newer).toMatchObject({ repaired: true });
    // then the older one, which read the version before the newer one recorded it, is refused once it has the turn
    expect(await older).toBeInstanceOf(NewerProjectionVersion);
    expect((await pool.query("SELECT version FROM projection_versions WHERE name = 'totals'")).rows).toEqual([{ version: 5 }]);
    expect(await live()).toEqual({ a: 10_000, b: 10_000, c: 10_000 });
  });
});
