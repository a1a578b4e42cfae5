import 'reflect-metadata';
import type { CommandBus, SendResult } from '@slipway/bus';
import { ApplyPatches, BindLabels, UploadBaseConfigs, type ApplyOutcome } from '@slipway/contracts';
import { EVENT_COLUMNS, rebuildAndCompare, toRecordedEvent, type EventRow } from '@slipway/event-log';
import type { RunningService } from '@slipway/runtime';
import type { PoolClient } from 'pg';
import { stringify } from 'yaml';
import { checkNewPatches } from '../patches/check-new-patches';
import { completed, startTestConfigStore, tester as actor, type TestConfigStore } from '../config-store.testing';
import { EVERY_OBJECT } from './affected';
import { affectedBy } from './affected-by-events';
import { configProjection, configProjectionWith } from './config.projection';
import { RandomConfigWrites, type WriteKind } from './random-writes.testing';
import { rematerialize } from './rematerialize';

/**
 * Incremental re-materialization (a write materializes only the objects it can change)
 * must leave exactly the tables a full re-materialization of every object would.
 */
describe('incremental re-materialization', () => {
  let store: TestConfigStore;
  let service: RunningService;
  let commands: CommandBus;

  beforeAll(async () => {
    store = await startTestConfigStore();
    ({ service, commands } = store);
  });
  afterAll(() => store.close());

  /** Work in a transaction that is always rolled back: looks, never changes. */
  async function peek<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    const tx = await service.pool.connect();
    try {
      await tx.query('BEGIN');
      return await work(tx);
    } finally {
      await tx.query('ROLLBACK');
      tx.release();
    }
  }

  async function versionsPerObject(): Promise<Map<string, number>> {
    const { rows } = await service.pool.query<{ object_name: string; n: number }>('SELECT object_name, count(*)::int AS n FROM materialized_configs GROUP BY object_name');
    return new Map(rows.map((r) => [r.object_name, r.n]));
  }

  async function newVersionsDuring(write: () => Promise<SendResult<unknown>>): Promise<{ reply: SendResult<unknown>; grew: string[] }> {
    const before = await versionsPerObject();
    const reply = await write();
    const after = await versionsPerObject();
    return { reply, grew: [...after].filter(([name, n]) => n !== (before.get(name) ?? 0)).map(([name]) => name).sort() };
  }


  async function eventsOf(commandId: string) {
    const { rows } = await service.pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE metadata->>'commandId' = $1 ORDER BY position`, [commandId]);
    return rows.map(toRecordedEvent);
  }

  it('materializes only the object a patch targets, and adds versions for it alone', async () => {
    const text = Array.from({ length: 20 }, (_, i) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `solo-${i}` }, data: { i: String(i) } })).join('---\n');
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'solo', text }, { actor }));
    const team = Array.from({ length: 8 }, (_, i) => `solo-${i}`);
    completed(await commands.send(BindLabels, { labels: ['team'], objects: team }, { actor }));
    completed(await commands.send(ApplyPatches, { text: '# target: team\ndata:\n  team: "yes"', description: '' }, { actor }));

    const byName = await newVersionsDuring(() => commands.send(ApplyPatches, { text: '# target: solo-12\ndata:\n  x: "1"', description: '' }, { actor }));
    expect(byName.grew).toEqual(['solo-12']);
    expect(completed(byName.reply as SendResult<ApplyOutcome>).materialized).toEqual(['solo-12']);

    // What the write's projection ran, run again on its own events (nothing left to record).
    const events = await eventsOf(byName.reply.commandId);
    expect(events).toHaveLength(1);
    const stats = await peek(async (tx) => {
      const affected = await affectedBy(tx, events);
      return { affected, incremental: await rematerialize(tx, 0, affected), full: await rematerialize(tx, 0, EVERY_OBJECT) };
    });
    expect(stats.affected).toEqual(new Set(['solo-12']));
    expect(stats.incremental).toEqual({ materialized: 1, recorded: [] });
    expect(stats.full).toEqual({ materialized: 20, recorded: [] });

    // The command's preview loads just as little.
    const preview = await peek((tx) => checkNewPatches(tx, [{ target: 'solo-3', format: 'YAML', kind: null, patch: 'data:\n  y: "2"' }], new Date().toISOString()));
    expect(preview).toEqual({ changed: ['solo-3'], loaded: 1 });

    const byLabel = await newVersionsDuring(() => commands.send(ApplyPatches, { text: '# target: team\ndata:\n  z: "3"', description: '' }, { actor }));
    expect(byLabel.grew).toEqual([...team].sort());
    const labelStats = await peek(async (tx) => rematerialize(tx, 0, await affectedBy(tx, await eventsOf(byLabel.reply.commandId))));
    expect(labelStats).toEqual({ materialized: 8, recorded: [] });
  });

  it('leaves the tables a full re-materialization leaves, after every write of a random sequence', async () => {
    const writes = new RandomConfigWrites(20_261_123);
    const ran = new Set<WriteKind>();
    const changedSomething = new Set<WriteKind>();
    for (let step = 0; step < 120; step++) {
      const write = writes.next();
      const { reply, grew } = await newVersionsDuring(() => write.send(commands));
      if (reply.status !== 'completed') throw new Error(`step ${step} (${write.kind}) got no reply in time`);
      const value = reply.reply.ok ? reply.reply.value as Partial<ApplyOutcome & { versions: number[] }> : undefined;
      if (value) ran.add(write.kind);
      if (grew.length > 0) changedSomething.add(write.kind);
      writes.applied(value?.versions ?? []);
      // The reply names what changed (set-up answers a status instead), and only that got new versions.
      const named = [...value?.materialized ?? []].sort();
      if (value?.materialized) expect({ step, kind: write.kind, grew }).toEqual({ step, kind: write.kind, grew: named });
      if (!value) expect({ step, kind: write.kind, grew }).toEqual({ step, kind: write.kind, grew: [] });
      // Every object's latest version is what materializing everything from scratch gives.
      const full = await peek((tx) => rematerialize(tx, 0, EVERY_OBJECT));
      expect({ step, kind: write.kind, recorded: full.recorded }).toEqual({ step, kind: write.kind, recorded: [] });
    }
    // Not a vacuous sequence: every kind of write was accepted, and each (set-up aside) changed some object.
    expect([...ran].sort()).toEqual(['bind', 'defaults', 'delete-patch', 'image', 'namespace', 'patch', 'registry', 'set-up', 'unbind', 'upload']);
    expect([...changedSomething].sort()).toEqual(['bind', 'defaults', 'delete-patch', 'image', 'namespace', 'patch', 'registry', 'unbind', 'upload']);

    // The whole log replayed with full re-materialization equals the live (incremental) tables,
    // versions, previous versions, skipped patches and timestamps included; so does a normal replay.
    const full = await rebuildAndCompare(service.pool, 'config', configProjectionWith(async () => EVERY_OBJECT));
    expect(full).toMatchObject({ equal: true });
    expect(await rebuildAndCompare(service.pool, 'config', configProjection)).toMatchObject({ equal: true });
    const { rows } = await service.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM materialized_configs WHERE skipped <> '[]'::jsonb");
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
