import { clusterStreamId, type CommandEnvelope } from '@slipway/contracts';
import { applyObject, deleteObject, getObject, unwrap, type KubeClient, type KubeObject, type KubeRequest } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { accessTo, handlerRig, type HandlerRig } from './handlers.testing';
import { QuarantinePodHandler } from './quarantine-pod.handler';

/**
 * Quarantine relabels the very pod it judged, once by command id, and records for the
 * audit what it took off that pod, whatever happens between its read and its record.
 */
describe('quarantine of a pod, raced and cut short', () => {
  let rig: HandlerRig;
  beforeAll(async () => {
    rig = await handlerRig('quarantine');
    unwrap(await applyObject(rig.kube.client, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: rig.kube.namespace }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    }));
  });
  afterAll(() => rig?.close());

  const pod = (name: string, labels: Record<string, string>): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: rig.kube.namespace, labels },
    spec: { containers: [{ name: 'main', image: 'registry.example/app:1' }] },
  });
  const live = async (name: string) => unwrap(await getObject(rig.kube.client, pod(name, {})));
  const recorded = async (sent: CommandEnvelope) => (await rig.db.query<{ type: string; data: unknown }>(
    "SELECT type, data FROM events WHERE stream_id = $1 AND metadata->>'commandId' = $2 ORDER BY position", [clusterStreamId(rig.kube.namespace), sent.commandId])).rows;

  /** The handler on the rig's cluster, with `around` run about each PATCH it sends (the real request goes out through `send`). */
  const handlerWith = (around: (request: KubeRequest, send: () => ReturnType<KubeClient['http']['send']>) => ReturnType<KubeClient['http']['send']>) => {
    const real = rig.kube.client.http;
    const http = Object.create(real, {
      send: { value: (request: KubeRequest) => (request.method === 'PATCH' ? around(request, () => real.send(request)) : real.send(request)) },
    }) as KubeClient['http'];
    return new QuarantinePodHandler(rig.db, accessTo({ ...rig.access.require(), client: { ...rig.kube.client, http } }));
  };

  it('leaves alone a pod deleted and created again under the name of the one it judged, and says the one judged is gone', async () => {
    const first = unwrap(await applyObject(rig.kube.client, pod('swapped', { app: 'web', tier: 'front' })));
    // given: the pod is replaced by another of its name after it was judged, before its relabelling
    let replaced = false;
    const handler = handlerWith(async (_request, send) => {
      if (!replaced) {
        replaced = true;
        unwrap(await deleteObject(rig.kube.client, first));
        await eventually(async () => expect(await rig.exists(first)).toBe(false), 30_000, 100);
        unwrap(await applyObject(rig.kube.client, pod('swapped', { app: 'web', tier: 'front' })));
      }
      return send();
    });
    const sent = rig.envelope({ pod: 'swapped' });
    // when quarantined, then it is refused as not found (the pod it judged is gone), final, and nothing is recorded
    await expect(handler.handle(sent)).rejects.toMatchObject({ code: 'not-found', final: true, message: expect.stringContaining('the pod judged is gone') });
    expect(await recorded(sent)).toEqual([]);
    // and the new pod keeps its labels: still in its Service
    const now = await live('swapped');
    expect(now.metadata.uid).not.toBe(first.metadata.uid);
    expect(now.metadata.labels).toMatchObject({ app: 'web', tier: 'front' });
    expect(now.metadata.labels).not.toHaveProperty(['slipway.io/quarantined']);
  });

  const stopped = new Error('the deployer stopped');
  const isRealPatch = (request: KubeRequest) => request.query?.dryRun === undefined;
  const quarantined = (sent: CommandEnvelope, name: string, uid: string | undefined) => [
    { type: 'cluster.pod-quarantined.v1', data: { name, uid, removedLabels: ['app'], quarantinedAt: sent.issuedAt } },
  ];

  it('delivered again after the deployer stopped between relabelling the pod and recording it, records the labels the first attempt took off', async () => {
    const first = unwrap(await applyObject(rig.kube.client, pod('crashed-after', { app: 'web', tier: 'front' })));
    const sent = rig.envelope({ pod: 'crashed-after' });
    // given a first delivery whose patch went out, and then the deployer stopped
    const dying = handlerWith(async (request, send) => {
      const answer = await send();
      if (isRealPatch(request)) throw stopped;
      return answer;
    });
    await expect(dying.handle(sent)).rejects.toThrow();
    expect((await live('crashed-after')).metadata.labels).not.toHaveProperty('app');
    // when it is delivered again
    expect(await new QuarantinePodHandler(rig.db, rig.access).handle(sent)).toBeNull();
    // then the record names what the first attempt took off (not the nothing the relabelled pod now shows), once
    expect(await recorded(sent)).toEqual(quarantined(sent, 'crashed-after', first.metadata.uid));
    expect(await rig.outcome(sent)).toMatchObject({ reply: { ok: true, value: null } });
    expect((await live('crashed-after')).metadata.annotations).toMatchObject({ 'slipway.io/quarantined-labels': '{"app":"web"}' });
  });

  it('delivered again after the deployer stopped before relabelling the pod, relabels it as first decided', async () => {
    const first = unwrap(await applyObject(rig.kube.client, pod('crashed-before', { app: 'web', tier: 'front' })));
    const sent = rig.envelope({ pod: 'crashed-before' });
    const dying = handlerWith(async (request, send) => {
      if (isRealPatch(request)) throw stopped;
      return send();
    });
    await expect(dying.handle(sent)).rejects.toThrow();
    expect(await new QuarantinePodHandler(rig.db, rig.access).handle(sent)).toBeNull();
    const now = await live('crashed-before');
    expect(now.metadata.labels).toMatchObject({ tier: 'front', 'slipway.io/quarantined': 'true' });
    expect(now.metadata.labels).not.toHaveProperty('app');
    expect(now.metadata.annotations).toMatchObject({ 'slipway.io/quarantined-labels': '{"app":"web"}' });
    expect(await recorded(sent)).toEqual(quarantined(sent, 'crashed-before', first.metadata.uid));
  });
});
