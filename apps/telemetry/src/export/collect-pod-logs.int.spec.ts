import { applyObject, getObject, readPodLogs, unwrap } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { collectPodLogs } from './collect-pod-logs';
import type { PodObject } from './resolve-service';

/**
 * A pod listed for an export and gone before its log is read (deleted, replaced): the
 * manifest notes why its log is missing as the API server said it, not a bare status.
 */
describe('an export\'s pod log that cannot be read', () => {
  let kube: TestNamespace;
  beforeAll(async () => {
    kube = await createTestNamespace('telescope-logs');
  });
  afterAll(async () => kube?.dispose());

  it('is noted with the refusal\'s kind and the API server\'s message', async () => {
    const gone: PodObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-gone', namespace: kube.namespace }, spec: { containers: [{ name: 'app' }] } };
    const now = Date.now();
    const logs = await collectPodLogs({ client: kube.client, namespace: kube.namespace }, [{ name: 'web', note: { status: 'found', kind: 'Deployment' }, pods: [gone] }], { start: now - 60_000, end: now });
    expect(logs.files).toEqual({});
    expect(logs.note).toMatchObject({
      status: 'collected',
      containers: [{ service: 'web', pod: 'web-gone', container: 'app', error: 'could not read the log: not-found: pods "web-gone" not found' }],
    });
  });
});

/** A pod's init containers have logs too, read as `kubectl logs -c <init>` reads them: what tells why a pod is stuck in Init. */
describe('an export\'s pod logs of a pod with an init container', () => {
  let kube: TestNamespace;
  beforeAll(async () => {
    kube = await createTestNamespace('telescope-init-logs');
  });
  afterAll(async () => kube?.dispose());

  it('holds the init container\'s log, noted as one, after the other containers\' (which have the pod\'s budget first)', async () => {
    // given a pod with an init container, on a node (its logs can be read; KWOK's runs no image)
    const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: kube.namespace } };
    unwrap(await applyObject(kube.client, { ...ref, spec: { initContainers: [{ name: 'setup', image: 'registry.k8s.io/pause:3.10' }], containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } }));
    await eventually(async () => unwrap(await readPodLogs(kube.client, { namespace: kube.namespace, pod: 'web-1', container: 'setup' })), 45_000, 200);
    const pod = unwrap(await getObject<PodObject>(kube.client, ref));

    // when the export reads its logs
    const logs = await collectPodLogs({ client: kube.client, namespace: kube.namespace }, [{ name: 'web', note: { status: 'found', kind: 'Pod' }, pods: [pod] }], { start: 0, end: Date.now() + 60_000 });

    // then both containers' logs are there, the init container's after the app's and said to be one
    expect(logs.note).toMatchObject({ status: 'collected', containers: [
      { pod: 'web-1', container: 'app', file: 'logs/web/web-1/app.log' },
      { pod: 'web-1', container: 'setup', init: true, file: 'logs/web/web-1/setup.log' },
    ] });
    expect((logs.note as { containers: unknown[] }).containers[0]).not.toHaveProperty('init');
    expect(logs.files['logs/web/web-1/setup.log']).not.toBe('');
  });
});
