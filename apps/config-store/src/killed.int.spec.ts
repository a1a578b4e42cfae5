import 'reflect-metadata';
import { CommandBus, type SendResult } from '@slipway/bus';
import { PushConfigs } from '@slipway/contracts';
import { rebuildAndCompare } from '@slipway/event-log';
import { eventually } from '@slipway/testing';
import { crashRig, expectEachCommandOnce, type CrashRig } from '@slipway/testing/crash';
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
  let rig: CrashRig;
  beforeAll(async () => { rig = await crashRig('config-store', 'config'); });
  afterAll(() => rig?.close());

  it('loses no write, applies none twice, and leaves the tables the log rebuilds', async () => {
    const { db, bus, handled } = rig;
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
    await rig.killAsHandled(WRITES, KILLS);
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
    expect(rows.some((row) => row.ok)).toBe(true);
    // and the refusals are the writes' own (a patch that fits nothing, a version that is not
    // there), never the contention or outage a crash and its redeliveries could cause
    const refusedFor = new Set(rows.filter((row) => !row.ok).map((row) => (row.outcome as { code: string }).code));
    for (const code of ['conflict', 'unavailable', 'internal']) expect(refusedFor.has(code)).toBe(false);

    await expectEachCommandOnce(db, bus, 'config');
    // and each write that changed materialized configs handed the push of them to JetStream
    // (for the deployer, not running here) once: killed between its commit and the handover,
    // it hands it over when delivered again
    // (the set-up commands answer no ApplyOutcome)
    const changing = rows.filter((row) => row.ok && ((row.outcome as { materialized?: string[] } | null)?.materialized?.length ?? 0) > 0);
    expect(changing.length).toBeGreaterThan(0);
    const pushSubject = bus.subject(PushConfigs.subject);
    const info = await bus.jsm.streams.info(bus.stream('COMMANDS'), { subjects_filter: pushSubject });
    expect(info.state.subjects?.[pushSubject] ?? 0).toBe(changing.length);
    // the materialized tables, written incrementally by writes cut short and delivered
    // again, equal a replay of the log that re-materializes every object
    expect(await rebuildAndCompare(db, 'config', configProjectionWith(async () => EVERY_OBJECT))).toMatchObject({ equal: true });
    expect(await rebuildAndCompare(db, 'config', configProjection)).toMatchObject({ equal: true });
  }, 300_000);
});
