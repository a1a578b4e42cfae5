import 'reflect-metadata';
import type { CommandBus } from '@slipway/bus';
import { ApplyPatches, BindLabels, ConfigAroundPatch, DeletePatch, ListPatches, SetRegistry, UploadBaseConfigs, type Reply } from '@slipway/contracts';
import { createTestDatabase } from '@slipway/testing';
import { completed, startTestConfigStore, tester as actor, type TestConfigStore } from '../config-store.testing';

const BASES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: main
        image: gcr.io/team/web:1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LEVEL: INFO
`;

/**
 * Patches as a client reads them: per object, what applies to it; along nextVersion, live
 * patches only; a config before and after a patch, only where the patch applies.
 */
describe('patches as a client reads them', () => {
  let store: TestConfigStore;
  let commands: CommandBus;

  beforeAll(async () => {
    store = await startTestConfigStore(await createTestDatabase());
    ({ commands } = store);
  });
  afterAll(() => store.close());

  function value<T>(reply: Reply<T>): T {
    if (!reply.ok) throw new Error(`query failed: ${JSON.stringify(reply)}`);
    return reply.value;
  }
  const patch = async (text: string) => completed(await commands.send(ApplyPatches, { text, description: '' }, { actor })).versions[0]!;
  const listed = async (object?: string) => value(await commands.query(ListPatches, { object })).map((p) => ({ version: p.version, next: p.nextVersion }));

  it('lists for an object only the patches that apply to it: not one declared for another kind, not a rewrite with nothing to change in it', async () => {
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'r1', text: BASES }, { actor }));
    completed(await commands.send(BindLabels, { labels: ['mixed'], objects: ['settings', 'web'] }, { actor }));
    const byName = await patch('# target: web\nmetadata:\n  labels:\n    tier: front');
    const configMapsOnly = await patch('# target: mixed\nkind: ConfigMap\ndata:\n  MIXED: "yes"');
    const registry = completed(await commands.send(SetRegistry, { registry: 'mirror.example.com', description: '' }, { actor })).versions[0]!;
    expect(await listed('web')).toEqual([{ version: byName, next: registry }, { version: registry, next: null }]);
    expect((await listed('settings')).map((p) => p.version)).toEqual([configMapsOnly]);
    expect((await listed()).map((p) => p.version)).toEqual([byName, configMapsOnly, registry]);
  });

  it('gives as nextVersion the next live patch, passing over deleted ones', async () => {
    const before = await listed();
    const last = before[before.length - 1]!.version;
    const deleted = await patch('# target: web\nmetadata:\n  labels:\n    tier: edge');
    const after = await patch('# target: web\nmetadata:\n  labels:\n    tier: core');
    completed(await commands.send(DeletePatch, { version: deleted }, { actor }));
    const all = await listed();
    expect(all.slice(-2)).toEqual([{ version: last, next: after }, { version: after, next: null }]);
    expect(all.map((p) => p.version)).not.toContain(deleted);
  });

  it('gives as nextVersion, in the list of an object with no config yet, the next patch of that list', async () => {
    const first = await patch('# target: not-yet-uploaded\nmetadata:\n  labels:\n    tier: a');
    const between = await patch('# target: web\nmetadata:\n  labels:\n    tier: b');
    const second = await patch('# target: not-yet-uploaded\nmetadata:\n  labels:\n    tier: c');
    // (a rewrite of every object, from before, is listed too)
    expect((await listed('not-yet-uploaded')).slice(-2)).toEqual([{ version: first, next: second }, { version: second, next: null }]);
    expect(between).toBeGreaterThan(first);
  });

  it('answers the config before and after a patch for an object it applies to, and not-found for one it never reached', async () => {
    const [byName] = await listed('web');
    const around = value(await commands.query(ConfigAroundPatch, { object: 'web', version: byName!.version }));
    expect(around.prevConfig).not.toContain('tier: front');
    expect(around.newConfig).toContain('tier: front');
    expect(await commands.query(ConfigAroundPatch, { object: 'settings', version: byName!.version })).toEqual({
      ok: false, error: { code: 'not-found', message: `patch version ${byName!.version} does not apply to object "settings"`, field: 'version' },
    });
  });
});
