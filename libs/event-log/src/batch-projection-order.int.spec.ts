import { createTestDatabase } from '@slipway/testing';
import type { Pool } from 'pg';
import { createPool } from './database';
import type { Decider } from './decider';
import { handleCommand } from './handle-command';
import { migrate } from './migrate';
import { handlesTypes, type Projection } from './projection';
import { rebuildAndCompare } from './rebuild';

type Put = { type: 'put'; data: { value: number } };
const putter: Decider<null, { value: number }, Put> = { initialState: () => null, evolve: () => null, decide: ({ value }) => [{ type: 'put', data: { value } }] };

/**
 * Commands on one stream arriving together are decided in one batch, and each names the
 * projection object it is applied with: a command that seals values names a wrapper of
 * the projection (storingSeals), another the projection itself. The table must end as the
 * log does, whichever objects the batch's commands named.
 */
describe.each([['write-only', true], ['live', false]])('a batch whose commands name different objects for one projection (%s)', (_, writesOnly) => {
  let pool: Pool;
  const table = `latest_${writesOnly ? 'recorded' : 'live'}`;
  const projection: Projection = {
    name: table, tables: [table], handles: handlesTypes(['put']), writesOnly,
    async apply(tx, events) {
      for (const e of events) await tx.query(`INSERT INTO ${table} VALUES ($1, $2) ON CONFLICT (stream) DO UPDATE SET value = EXCLUDED.value`, [e.streamId, (e.data as { value: number }).value]);
    },
  };
  const wrapper: Projection = { ...projection, apply: (tx, events) => projection.apply(tx, events) };
  let sent = 0;
  const put = (named: Projection, value: number) => handleCommand(
    pool, { commandId: `${table}-${++sent}`, correlationId: 'c', actor: 'tester', issuedAt: new Date().toISOString() },
    { subject: 'cmd.test.put.v1', streamId: 'thing-1', decider: putter, command: () => ({ value }), result: () => value, projections: [named] },
  );

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url);
    pool = createPool(url);
    await pool.query(`CREATE TABLE ${table} (stream text PRIMARY KEY, value int NOT NULL)`);
  });
  afterAll(() => pool.end());

  it('applies the batch\'s events in the log\'s order: the table holds what the last event says', async () => {
    // when three writes of one thing arrive together, the middle one naming the wrapper
    await Promise.all([put(projection, 1), put(wrapper, 2), put(projection, 3)]);
    // then the table and a rebuild from the log agree on the last one
    const { rows: [last] } = await pool.query<{ value: number }>("SELECT (data->>'value')::int AS value FROM events WHERE stream_id = 'thing-1' ORDER BY stream_version DESC LIMIT 1");
    const { rows: [live] } = await pool.query<{ value: number }>(`SELECT value FROM ${table} WHERE stream = 'thing-1'`);
    expect(last!.value).toBe(3);
    expect(live!.value).toBe(3);
    expect((await rebuildAndCompare(pool, 'public', projection)).equal).toBe(true);
  });
});
