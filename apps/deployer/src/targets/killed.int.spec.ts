import 'reflect-metadata';
import { CommandBus, type SendResult } from '@slipway/bus';
import { CreateTarget, UpsertTarget, type TargetView } from '@slipway/contracts';
import { rebuildAndCompare } from '@slipway/event-log';
import { eventually } from '@slipway/testing';
import { crashRig, expectEachCommandOnce, type CrashRig } from '@slipway/testing/crash';
import { deployerProjections } from '../service';

const actor = { principal: 'tester', kind: 'token' as const };
const CREATES = 240;
const SHARED = 4;
const EDITS = 15;
const KILLS = 3;

/**
 * ARCHITECTURE.md's promise, checked with a real crash: a command a sender was told is
 * done is in the log, and a crash at any point of handling — mid-transaction, between
 * commit and ack, between the relay's publish and its checkpoint — leads to redelivery,
 * never to a lost command or one whose effect happens twice.
 */
describe('a deployer killed while commands arrive', () => {
  let rig: CrashRig;
  beforeAll(async () => { rig = await crashRig('deployer'); });
  afterAll(() => rig?.close());

  const target = (name: string, labels: Record<string, string> = {}) =>
    ({ namespace: 'crash', name, labels, annotations: {}, kubernetesNamespace: null });

  it('loses no command and applies none twice', async () => {
    const { db, bus, handled } = rig;
    const commands = new CommandBus(bus, 2_000);
    // given targets that many commands will edit at once
    for (let s = 0; s < SHARED; s += 1) {
      expect(await commands.send(CreateTarget, target(`shared-${s}`), { actor, commandId: `shared-${s}` })).toMatchObject({ status: 'completed', reply: { ok: true } });
    }
    const before = await handled();

    // when creations and edits arrive steadily, and the deployer is killed and started again
    // each time another part of them has been handled
    const sent: Array<Promise<SendResult<TargetView>>> = [];
    const load = (async () => {
      let edit = 0;
      for (let i = 0; i < CREATES; i += 1) {
        sent.push(commands.send(CreateTarget, target(`t-${i}`), { actor, commandId: `create-${i}` }));
        if (i % (CREATES / (SHARED * EDITS)) === 0) {
          sent.push(commands.send(UpsertTarget, target(`shared-${edit % SHARED}`, { edit: String(edit) }), { actor, commandId: `edit-${edit}` }));
          edit += 1;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const total = CREATES + SHARED * EDITS;
    await rig.killAsHandled(total, KILLS, before);
    await load;

    // then every command has one outcome, and everything a sender was told is done is so
    expect(sent).toHaveLength(total);
    const results = await Promise.all(sent);
    for (const result of results) {
      if (result.status === 'completed') expect(result.reply).toMatchObject({ ok: true });
      else expect(result.status).toBe('accepted');
    }
    // (what a killed deployer had taken and not acked comes back after the ack wait, 30 s)
    await eventually(async () => expect(await handled() - before).toBe(total), 90_000, 250);
    const outcomes = await db.query<{ command_id: string; ok: boolean }>('SELECT command_id, ok FROM command_outcomes');
    expect(outcomes.rows.filter((row) => !row.ok)).toEqual([]);

    // each command's events appended once: one creation per target, one version per edit
    await expectEachCommandOnce(db, bus, 'deployer');
    const streams = await db.query<{ stream_id: string; versions: number[] }>(
      `SELECT stream_id, array_agg(stream_version ORDER BY stream_version)::int[] AS versions FROM events
       WHERE stream_id LIKE 'target-crash/%' GROUP BY stream_id`,
    );
    expect(streams.rows).toHaveLength(CREATES + SHARED);
    for (const row of streams.rows) {
      const edits = row.stream_id.includes('/shared-') ? EDITS : 0;
      expect(row.versions).toEqual(Array.from({ length: edits + 1 }, (_, n) => n + 1));
    }

    // and the read model is the one the log rebuilds
    for (const projection of deployerProjections) {
      expect(await rebuildAndCompare(db, 'deployer', projection)).toMatchObject({ equal: true });
    }
  }, 300_000);
});
