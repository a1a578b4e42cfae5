import 'reflect-metadata';
import { Bus, CommandBus, type SendResult } from '@slipway/bus';
import { createPool, rebuildAndCompare } from '@slipway/event-log';
import { createTestDatabase, eventually, natsUrl, scratchDir, testBusPrefix } from '@slipway/testing';
import { expectEachCommandOnce, startServiceProcess, type ServiceProcess } from '@slipway/testing/crash';
import type { Pool } from 'pg';
import { EVERY_OBJECT } from './model/affected';
import { configProjection, configProjectionWith } from './model/config.projection';
import { RandomConfigWrites } from './model/random-writes.testing';

const WRITES = 160;
const KILLS = 3;

/**
 * The config-store killed (SIGKILL) while random config writes arrive, several at once:
 * uploads, patches, label binds, deletes — the writes that re-materialize objects in the
 * transaction that records them. Every write ends with one outcome, the one its sender was
 * answered, and the materialized tables are what the log rebuilds from scratch.
 */
describe('a config-store killed while config writes arrive', () => {
  let db: Pool;
  let bus: Bus;
  let env: NodeJS.ProcessEnv;
  // The service's output, kept with the run's state (SLIPWAY_KEEP_TEST_STATE=1).
  const log = `${scratchDir('killed-config-store')}/config-store.log`;
  let store: ServiceProcess | undefined;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    const prefix = testBusPrefix();
    env = { ...process.env, DATABASE_URL: databaseUrl, NATS_URL: natsUrl(), SLIPWAY_BUS_PREFIX: prefix };
    store = await startServiceProcess('config-store', env, log);
    db = createPool(databaseUrl, { schema: 'config' });
    bus = await Bus.connect({ url: natsUrl(), prefix });
  });
  afterAll(async () => {
    await store?.kill();
    await bus?.close();
    await db?.end();
  });

  const handled = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM command_outcomes')).rows[0]!.n;

  it('loses no write, applies none twice, and leaves the tables the log rebuilds', async () => {
    const commands = new CommandBus(bus, 2_000);
    const writes = new RandomConfigWrites(20_261_203);
    const sent: Array<Promise<SendResult<unknown>>> = [];
    const load = (async () => {
      for (let i = 0; i < WRITES; i += 1) {
        const result = writes.next().send(commands);
        // Later deletes pick among the patch versions answered so far.
        void result.then((r) => writes.applied(r.status === 'completed' && r.reply.ok ? (r.reply.value as { versions?: number[] }).versions ?? [] : []));
        sent.push(result);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    for (let k = 1; k <= KILLS; k += 1) {
      await eventually(async () => expect(await handled()).toBeGreaterThanOrEqual((WRITES * k) / (KILLS + 1)), 90_000, 5);
      await store!.kill();
      store = undefined;
      store = await startServiceProcess('config-store', env, log);
    }
    await load;
    const results = await Promise.all(sent);
    // (a killed store's unacked writes come back after the ack wait, 30 s)
    const withoutOutcome = async () => {
      const { rows } = await db.query<{ command_id: string }>('SELECT command_id FROM command_outcomes');
      const kept = new Set(rows.map((row) => row.command_id));
      return results.filter((r) => !kept.has(r.commandId));
    };
    await eventually(async () => expect(await withoutOutcome()).toEqual([]), 90_000, 250);

    // every answer is the outcome the log kept; some writes were answered before a kill,
    // some only accepted, and some refused (a patch that fits nothing)
    const { rows } = await db.query<{ command_id: string; ok: boolean; outcome: unknown }>('SELECT command_id, ok, outcome FROM command_outcomes');
    const kept = new Map(rows.map((row) => [row.command_id, row]));
    const answered = results.filter((r) => r.status === 'completed');
    for (const result of answered) expect({ ok: kept.get(result.commandId)?.ok }).toEqual({ ok: result.reply.ok });
    expect(answered.length).toBeGreaterThan(0);
    expect(results.some((r) => r.status === 'accepted')).toBe(true);
    expect(rows.some((row) => row.ok)).toBe(true);

    await expectEachCommandOnce(db, bus);
    // the materialized tables, written incrementally by writes cut short and delivered
    // again, equal a replay of the log that re-materializes every object
    expect(await rebuildAndCompare(db, 'config', configProjectionWith(async () => EVERY_OBJECT))).toMatchObject({ equal: true });
    expect(await rebuildAndCompare(db, 'config', configProjection)).toMatchObject({ equal: true });
  }, 240_000);
});
