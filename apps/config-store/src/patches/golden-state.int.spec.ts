import 'reflect-metadata';
import { RELAY_CHECKPOINT, type CommandBus } from '@slipway/bus';
import {
  ApplyPatches, BindLabels, ConfigApplied, GetMaterialized, ListBaseConfigs, ListPatches, SearchPatches, SetNamespace, UploadBaseConfigs, clusterStreamId,
  type Reply,
} from '@slipway/contracts';
import { appendToStream, createPool, inTransaction, rebuildAndCompare, storeCheckpoint } from '@slipway/event-log';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, eventually } from '@slipway/testing';
import type { Pool } from 'pg';
import { completed, startTestConfigStore, tester as actor, type TestConfigStore } from '../config-store.testing';
import { goldenProjection } from '../materialize/golden.projection';

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: main
        image: ${image}
`;
const configMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  LEVEL: INFO
`;

/**
 * The golden state of base configs and patches, from golden configs recorded the way the
 * deployer records them (`cluster.config-applied.v1` in the log) — with no deployer, so
 * that uploads and patches stay unpushed until the test says they were applied. A read
 * catches golden state up before it answers, but the log's gate is the whole Postgres
 * server's: another test's open transaction may hold an apply back a while, hence eventually.
 */
describe('golden state of base configs and patches', () => {
  let store: TestConfigStore;
  let service: RunningService;
  let commands: CommandBus;
  let clusterVersion = 0;
  let databaseUrl: string;
  /** The deployer's own connection to the log, which outlives a config-store. */
  let log: Pool;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    log = createPool(databaseUrl);
    store = await startTestConfigStore(databaseUrl);
    ({ service, commands } = store);
  });
  afterAll(async () => {
    await store.close();
    await log.end();
  });

  function value<T>(reply: Reply<T>): T {
    if (!reply.ok) throw new Error(`query failed: ${JSON.stringify(reply)}`);
    return reply.value;
  }

  /** What the deployer records after applying an object's materialized config. */
  async function applied(objectName: string, releaseVersion: string, patchVersion: number | null, materializedSeq?: number): Promise<void> {
    const data = { objectName, releaseVersion, patchVersion, appliedAt: new Date().toISOString(), ...(materializedSeq ? { materializedSeq } : {}) };
    await inTransaction(log, (tx) => appendToStream(tx, clusterStreamId('golden-test'), clusterVersion, [{ type: ConfigApplied.type, data }], {
      commandId: `push-${clusterVersion}`, correlationId: `push-${clusterVersion}`, actor: 'deployer', schemaVersion: 1, occurredAt: data.appliedAt,
    }));
    clusterVersion++;
  }

  const bases = async () => value(await commands.query(ListBaseConfigs, {})).map((b) => `${b.objectName}@${b.releaseVersion}:${b.golden}`);
  const baseOf = async (object: string) => value(await commands.query(ListBaseConfigs, { object })).map((b) => `${b.objectName}@${b.releaseVersion}:${b.golden}`);
  const patchStates = async (object?: string) => Object.fromEntries(value(await commands.query(ListPatches, { object })).map((p) => [p.version, p.golden]));
  const patchVersion = async (text: string) => completed(await commands.send(ApplyPatches, { text, description: '' }, { actor })).versions[0]!;

  it('marks the base release the golden config came from, and moves with each apply', async () => {
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'r1', text: `${deployment('web', 'web:1')}---\n${configMap('settings')}` }, { actor }));
    expect(await bases()).toEqual(['settings@r1:false', 'web@r1:false']);

    await applied('web', 'r1', null);
    await eventually(async () => expect(await bases()).toEqual(['settings@r1:false', 'web@r1:true']));
    await eventually(async () => expect(value(await commands.query(GetMaterialized, { object: 'web' })).state).toBe('IS_GOLDEN'));

    // A newer release not pushed yet: the cluster still runs r1.
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'r2', text: deployment('web', 'web:2') }, { actor }));
    expect(await bases()).toEqual(['settings@r1:false', 'web@r1:true', 'web@r2:false']);

    await applied('web', 'r2', null);
    await eventually(async () => expect(await bases()).toEqual(['settings@r1:false', 'web@r1:false', 'web@r2:true']));
  });

  it('marks patches reaching an object whose golden config has their version or a later one', async () => {
    completed(await commands.send(BindLabels, { labels: ['team'], objects: ['settings'] }, { actor }));
    completed(await commands.send(BindLabels, { labels: ['mixed'], objects: ['settings', 'web'] }, { actor }));
    const byName = await patchVersion('# target: web\nmetadata:\n  labels:\n    tier: front');
    const byLabel = await patchVersion('# target: team\ndata:\n  TEAM: core');
    // Reaches web through its label too, but only ConfigMaps apply it.
    const ofKind = await patchVersion('# target: mixed\nkind: ConfigMap\ndata:\n  MIXED: "yes"');
    const later = await patchVersion('# target: web\nmetadata:\n  labels:\n    tier: edge');
    expect(await patchStates()).toEqual({ [byName]: false, [byLabel]: false, [ofKind]: false, [later]: false });

    // Pushed after the first patch: `later` is not part of what web runs.
    await applied('web', 'r2', byName);
    await eventually(async () => expect(await patchStates()).toEqual({ [byName]: true, [byLabel]: false, [ofKind]: false, [later]: false }));

    // web runs every patch up to `later`, but `ofKind` does not apply to a Deployment and `byLabel` does not reach it.
    await applied('web', 'r2', later);
    await eventually(async () => expect(await patchStates()).toEqual({ [byName]: true, [byLabel]: false, [ofKind]: false, [later]: true }));

    await applied('settings', 'r1', ofKind);
    await eventually(async () => expect(await patchStates()).toEqual({ [byName]: true, [byLabel]: true, [ofKind]: true, [later]: true }));
    // Per object or searched, a patch reads the same.
    expect(await patchStates('settings')).toEqual({ [byLabel]: true, [ofKind]: true });
    const found = value(await commands.query(SearchPatches, { query: 'tier', caseSensitive: true, limit: 10 }));
    expect(found.map((p) => [p.version, p.golden])).toEqual([[byName, true], [later, true]]);
  });

  it('marks a rewrite once any object runs a config with it', async () => {
    const rewrite = completed(await commands.send(SetNamespace, { namespace: 'apps', description: '' }, { actor })).versions[0]!;
    expect((await patchStates())[rewrite]).toBe(false);
    await applied('settings', 'r1', rewrite);
    await eventually(async () => expect((await patchStates())[rewrite]).toBe(true));
  });

  it('marks the materialized config the deployer applied, not a later one of the same release and patch version', async () => {
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'r9', text: deployment('api', 'api:1') }, { actor }));
    const first = value(await commands.query(GetMaterialized, { object: 'api' }));
    await applied('api', 'r9', first.patchVersion, first.materializedSeq);
    await eventually(async () => expect(value(await commands.query(GetMaterialized, { object: 'api' })).state).toBe('IS_GOLDEN'));

    // The release uploaded again with a change: the same versions, but not what the cluster runs.
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'r9', text: deployment('api', 'api:2') }, { actor }));
    const second = value(await commands.query(GetMaterialized, { object: 'api' }));
    expect(second).toMatchObject({ releaseVersion: 'r9', patchVersion: first.patchVersion, state: 'NOT_GOLDEN' });
    expect(second.materializedSeq).toBeGreaterThan(first.materializedSeq!);
    // Nor is the release's base, now of the new text, what the cluster runs.
    expect(await baseOf('api')).toEqual(['api@r9:false']);
    await applied('api', 'r9', second.patchVersion, second.materializedSeq);
    await eventually(async () => expect(value(await commands.query(GetMaterialized, { object: 'api' })).state).toBe('IS_GOLDEN'));
    await eventually(async () => expect(await baseOf('api')).toEqual(['api@r9:true']));
    // Uploaded again as it is: the same config, still what the cluster runs, base and config alike.
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'r9', text: deployment('api', 'api:2') }, { actor }));
    expect(value(await commands.query(GetMaterialized, { object: 'api' }))).toMatchObject({ materializedSeq: second.materializedSeq, state: 'IS_GOLDEN' });
    expect(await baseOf('api')).toEqual(['api@r9:true']);

    // Recorded before the deployer said which version it applied: read by release and patch version, as then.
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'r9', text: deployment('api', 'api:3') }, { actor }));
    await applied('api', 'r9', second.patchVersion);
    await eventually(async () => expect(value(await commands.query(GetMaterialized, { object: 'api' })).state).toBe('IS_GOLDEN'));
  });

  it('catches up from the log after a stop longer than EVENTS keeps events, and a replay rebuilds it equal', async () => {
    completed(await commands.send(UploadBaseConfigs, { releaseVersion: 'r3', text: deployment('web', 'web:3') }, { actor }));
    await store.close();
    // Applied while the config-store was down, and relayed: EVENTS has since let it go
    // (it keeps a week), so only the log still holds it.
    await applied('web', 'r3', null);
    const { rows: [last] } = await log.query<{ transaction_id: string; position: number }>(
      'SELECT transaction_id::text AS transaction_id, position FROM events ORDER BY position DESC LIMIT 1');
    await storeCheckpoint(log, RELAY_CHECKPOINT, { transactionId: last!.transaction_id, position: last!.position });

    store = await startTestConfigStore(databaseUrl);
    ({ service, commands } = store);
    await eventually(async () => expect(await bases()).toEqual(['api@r9:true', 'settings@r1:true', 'web@r1:false', 'web@r2:false', 'web@r3:true']));
    expect(await rebuildAndCompare(log, 'config', goldenProjection)).toMatchObject({ equal: true, differences: { golden_configs: 0 } });
  });
});
