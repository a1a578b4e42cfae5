import { createTestDatabase } from '@slipway/testing';
import type { Pool } from 'pg';
import { appendToStream } from './append';
import { createPool, inTransaction } from './database';
import { migrate } from './migrate';
import { handlesTypes, type Projection } from './projection';
import { bringProjectionsUpToDate, repairProjection } from './projection-versions';

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
