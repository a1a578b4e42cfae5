import { createServer, type AddressInfo, type Socket } from 'node:net';
import { clusterStreamId, replyValue, UploadBaseConfigs, type MaterializedView, type Reply } from '@slipway/contracts';
import { recordOutcomeOnce, StreamContended } from '@slipway/event-log';
import { DependencyDown } from '@slipway/bus';
import { KubeConfig } from '@kubernetes/client-node';
import { applyObject, kubeClientFor, unwrap, type KubeObject } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { DeleteJobHandler } from './delete-job.handler';
import { FindInconsistenciesHandler } from './find-inconsistencies.handler';
import { DeletePodHandler } from './delete-pod.handler';
import { PushConfigsHandler } from './push-configs.handler';
import { accessTo, handlerRig, type HandlerRig } from './handlers.testing';
import { dropTurnHolder } from './namespace-lock.testing';
import { QuarantinePodHandler } from './quarantine-pod.handler';
import { ResizeClusterHandler } from './resize-cluster.handler';

/**
 * Every path of a cluster command records its outcome: a command the gateway answered
 * 202 is read back by id (/api/v1/commands/{id}) and must not stay `pending`. And once
 * recorded, a delivery again answers it without acting on whatever now has the same name.
 */
describe('cluster command outcomes', () => {
  let rig: HandlerRig;

  beforeAll(async () => {
    rig = await handlerRig('outcome');
  });
  afterAll(() => rig?.close());

  const pod = (name: string, labels: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: rig.kube.namespace, labels },
    spec: { containers: [{ name: 'main', image: 'registry.example/app:1' }] },
  });
  const job = (name: string): KubeObject => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: rig.kube.namespace },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'registry.example/job:1' }] } } },
  });

  it('records a resize that finds no workload to size', async () => {
    const resize = new ResizeClusterHandler(rig.db, rig.access);
    const sent = rig.envelope({ size: 'large' });
    const answer = await resize.handle(sent);
    expect(answer).toEqual({ successfulApply: [], failedToApply: {} });
    expect(await rig.outcome(sent)).toMatchObject({ reply: { ok: true, value: answer } });
  });

  it('a resize whose patches meet contention in the config-store is refused as not final, as the config-store refused it', async () => {
    const web = { objectName: 'web', config: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: [{name: app}]\n' } as MaterializedView;
    // The config-store's answer as ClusterAccess.tell receives it: a reply decoded from the wire.
    const contended = JSON.parse(JSON.stringify({ ok: false, error: new StreamContended('ns-outcome/patches') })) as Reply;
    const resize = new ResizeClusterHandler(rig.db, accessTo({
      ...rig.access.require(), ask: async () => [web] as never, tell: async () => replyValue(contended) as never,
    }));
    const sent = rig.envelope({ size: 'large' });
    // (the transport records final refusals only: one that is not is retried, as its tests show)
    await expect(resize.handle(sent)).rejects.toMatchObject({ code: 'conflict', final: false });
  });

  it('a push whose turn is lost before it applies (another replica took the namespace) applies nothing, and fails to be retried', async () => {
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late-turn' }, data: { a: 'b' } };
    const view = { objectName: 'late-turn', releaseVersion: '1', patchVersion: null, materializedSeq: 1, config: JSON.stringify(config) } as unknown as MaterializedView;
    // (the turn's lock connection is ended while the push reads the configs: stopped past the time allowed, say)
    const push = new PushConfigsHandler(rig.db, accessTo({
      ...rig.access.require(), ask: async () => { await dropTurnHolder(rig.db, rig.kube.namespace); return [view] as never; },
    }));
    await expect(push.handle(rig.envelope({ objects: ['late-turn'] }))).rejects.toThrow(`lost the cluster turn of namespace "${rig.kube.namespace}"`);
    expect(await rig.exists({ ...config, metadata: { ...config.metadata, namespace: rig.kube.namespace } })).toBe(false);
  });

  it('a push that names a write (one that changed more objects than a push lists) applies the objects the write\'s recorded outcome lists', async () => {
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'by-write' }, data: { a: 'b' } };
    const view = { objectName: 'by-write', releaseVersion: '1', patchVersion: null, materializedSeq: 1, config: JSON.stringify(config) } as unknown as MaterializedView;
    // given a committed upload whose outcome lists what it changed
    const write = rig.envelope();
    await recordOutcomeOnce(rig.db, { commandId: write.commandId, subject: UploadBaseConfigs.subject, reply: { ok: true, value: { successfulApply: [], failedToApply: [], materialized: ['by-write'] } } });
    const asked: unknown[] = [];
    const push = new PushConfigsHandler(rig.db, accessTo({ ...rig.access.require(), ask: async (_contract: unknown, payload: unknown) => { asked.push(payload); return [view] as never; } }));
    // when its push names it
    const sent = rig.envelope({ changedBy: write.commandId });
    // then the objects it lists are read and applied
    expect(await push.handle(sent)).toEqual({ successfulApply: ['by-write'], failedToApply: {} });
    expect(asked).toEqual([{ objects: ['by-write'] }]);
    expect(await rig.exists({ ...config, metadata: { ...config.metadata, namespace: rig.kube.namespace } })).toBe(true);
  });

  it('a push that names a write with no changes recorded (unknown, or refused) is refused, naming it', async () => {
    const refused = rig.envelope();
    await recordOutcomeOnce(rig.db, { commandId: refused.commandId, subject: UploadBaseConfigs.subject, reply: { ok: false, error: { code: 'invalid', message: 'no' } } });
    const push = new PushConfigsHandler(rig.db, accessTo({ ...rig.access.require(), ask: async () => { throw new Error('nothing is to be read'); } }));
    for (const named of [refused.commandId, 'never-sent']) {
      const sent = rig.envelope({ changedBy: named });
      await expect(push.handle(sent)).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining(`no config write "${named}" that changed objects is recorded`) });
    }
  });

  it('records a deleted job, and a delivery again leaves a new job of that name alone', async () => {
    const handler = new DeleteJobHandler(rig.db, rig.access);
    unwrap(await applyObject(rig.kube.client, job('nightly')));
    const sent = rig.envelope({ name: 'nightly' });
    expect(await handler.handle(sent)).toBeNull();
    expect(await rig.outcome(sent)).toMatchObject({ reply: { ok: true, value: null } });

    // given a new job of the same name, once the first is gone
    await eventually(async () => expect(await rig.exists(job('nightly'))).toBe(false), 20_000);
    unwrap(await applyObject(rig.kube.client, job('nightly')));
    // when the delete is delivered again, it answers as before and the new job stays
    expect(await handler.handle(sent)).toBeNull();
    expect(await rig.exists(job('nightly'))).toBe(true);
  });

  it('records a deleted pod', async () => {
    const handler = new DeletePodHandler(rig.db, rig.access);
    unwrap(await applyObject(rig.kube.client, pod('doomed')));
    const sent = rig.envelope({ pod: 'doomed' });
    expect(await handler.handle(sent)).toBeNull();
    expect(await rig.outcome(sent)).toMatchObject({ reply: { ok: true, value: null } });
  });

  it('records a quarantined pod, and for the audit which labels it took off which pod', async () => {
    const handler = new QuarantinePodHandler(rig.db, rig.access);
    const live = unwrap(await applyObject(rig.kube.client, pod('suspect', { app: 'web', tier: 'front' })));
    unwrap(await applyObject(rig.kube.client, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: rig.kube.namespace }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    }));
    const sent = rig.envelope({ pod: 'suspect' });
    expect(await handler.handle(sent)).toBeNull();
    expect(await rig.outcome(sent)).toMatchObject({ reply: { ok: true, value: null } });
    const { rows } = await rig.db.query<{ type: string; data: unknown }>(
      "SELECT type, data FROM events WHERE stream_id = $1 AND metadata->>'commandId' = $2", [clusterStreamId(rig.kube.namespace), sent.commandId]);
    expect(rows).toEqual([{ type: 'cluster.pod-quarantined.v1', data: { name: 'suspect', uid: live.metadata.uid, removedLabels: ['app'], quarantinedAt: sent.issuedAt } }]);
  });

  it('a push the API server cannot take now (connection refused) is retried in place, not recorded as the config\'s failure', async () => {
    const web = { objectName: 'web', releaseVersion: '1', patchVersion: null, materializedSeq: 1, config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: "1"\n' } as unknown as MaterializedView;
    // given an API server that refuses connections (a restart), and a config to push
    const client = clientOfApiServerAt(await closedPort());
    const push = new PushConfigsHandler(rig.db, accessTo({ ...rig.access.require(), client, ask: async () => [web] as never }));
    const sent = rig.envelope({ objects: ['web'] });
    try {
      // when it is pushed (a push a write handed over: nobody would send it again)
      // then the delivery fails as a dependency down (the bus retries it in place, uncounted), with nothing recorded
      await expect(push.handle(sent)).rejects.toBeInstanceOf(DependencyDown);
      expect(await rig.outcome(sent)).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it.each([
    ['refuses connections', async () => ({ port: await closedPort(), close: () => undefined })],
    ['takes connections and never answers', silentServer],
  ])('a drift check whose API server %s is refused as unavailable within the gateway\'s wait, naming it, not timed out as if the deployer did not answer', async (_how, server) => {
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'drift-away' }, data: { a: 'b' } };
    const view = { objectName: 'drift-away', releaseVersion: '1', patchVersion: null, materializedSeq: 1, config: JSON.stringify(config) } as unknown as MaterializedView;
    // given a pushed object, and then an API server that is away
    await new PushConfigsHandler(rig.db, accessTo({ ...rig.access.require(), ask: async () => [view] as never })).handle(rig.envelope({ objects: ['drift-away'] }));
    const away = await server();
    const client = clientOfApiServerAt(away.port);
    try {
      const check = new FindInconsistenciesHandler(rig.db, accessTo({ ...rig.access.require(), client, ask: async () => ['drift-away'] as never }));
      await expect(check.handle({ actor: { principal: 'admin', kind: 'token' }, payload: {} } as never)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('could not read the live objects') });
    } finally {
      await client.close();
      away.close();
    }
  });
});

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server that takes connections and never answers (an API server hung, or behind a dropped route). */
async function silentServer(): Promise<{ port: number; close: () => void }> {
  const held: Socket[] = [];
  const server = createServer((socket) => { held.push(socket); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => { for (const socket of held) socket.destroy(); server.close(); } };
}

/** A Kubernetes client of an API server said to be at `port` on this host. */
function clientOfApiServerAt(port: number) {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'gone', server: `https://127.0.0.1:${port}`, skipTLSVerify: true }], users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'gone', cluster: 'gone', user: 'u' }], currentContext: 'gone',
  });
  return kubeClientFor(config);
}
