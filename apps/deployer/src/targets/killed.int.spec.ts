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
 * never to a lost command or one whose effect happens twice (nor to a late one undoing a
 * command issued after it).
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
      // (their outcome awaited, not the 2 s bound of the load below: a loaded machine may take longer)
      expect(await commands.send(CreateTarget, target(`shared-${s}`), { actor, commandId: `shared-${s}`, waitMs: 20_000 })).toMatchObject({ status: 'completed', reply: { ok: true } });
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
      // (a refusal as superseded, below, may reach a sender at the very end of its wait)
      if (result.status === 'completed') expect(result.reply.ok || (result.commandId.startsWith('edit-') && result.reply.error.code === 'conflict')).toBe(true);
      else expect(result.status).toBe('accepted');
    }
    // (what a killed deployer had taken and not acked comes back after the ack wait, 30 s)
    await eventually(async () => expect(await handled() - before).toBe(total), 90_000, 250);
    // Each refused only as an edit carried out late, after an edit of its target issued later
    // (one a killed deployer held comes back after the ack wait): it would have undone it.
    const outcomes = await db.query<{ command_id: string; ok: boolean; code: string | null }>("SELECT command_id, ok, outcome->>'code' AS code FROM command_outcomes");
    const superseded = outcomes.rows.filter((row) => !row.ok);
    for (const row of superseded) expect(row).toMatchObject({ command_id: expect.stringMatching(/^edit-/), code: 'conflict' });

    // each command's events appended once: one creation per target, one version per edit carried out
    await expectEachCommandOnce(db, bus, 'deployer');
    const streams = await db.query<{ stream_id: string; versions: number[] }>(
      `SELECT stream_id, array_agg(stream_version ORDER BY stream_version)::int[] AS versions FROM events
       WHERE stream_id LIKE 'target-crash/%' GROUP BY stream_id`,
    );
    expect(streams.rows).toHaveLength(CREATES + SHARED);
    const supersededOf = (s: number) => superseded.filter((row) => Number(row.command_id.slice('edit-'.length)) % SHARED === s).length;
    for (const row of streams.rows) {
      const shared = /\/shared-(\d+)$/.exec(row.stream_id);
      const edits = shared ? EDITS - supersededOf(Number(shared[1])) : 0;
      expect(row.versions).toEqual(Array.from({ length: edits + 1 }, (_, n) => n + 1));
    }
    // and each shared target holds what the last edit issued for it says, whatever order they were carried out in
    for (let s = 0; s < SHARED; s += 1) {
      const last = Math.max(...Array.from({ length: SHARED * EDITS }, (_, e) => e).filter((e) => e % SHARED === s));
      expect((await db.query("SELECT data->'labels' AS labels FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1", [`target-crash/shared-${s}`])).rows[0]).toEqual({ labels: { edit: String(last) } });
    }

    // and the read model is the one the log rebuilds
    for (const projection of deployerProjections) {
      expect(await rebuildAndCompare(db, 'deployer', projection)).toMatchObject({ equal: true });
    }
  }, 300_000);
});
