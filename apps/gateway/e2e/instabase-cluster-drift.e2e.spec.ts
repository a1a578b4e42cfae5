import { deleteObject, getObject, listObjects, unwrap, type KubeObject, type KubeObjectRef } from '@slipway/kube';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { apiServer, callInstabase, databaseStatefulSet, form } from './instabase-fixtures';

/**
 * Drift (`configs/k8s-inconsistencies`) against what Slipway intends after its own operations,
 * on the real control plane: workloads a hibernation scaled to 0 and autoscalers a pause
 * deleted are not drift, while what someone else changes in those states still is.
 */

/** An autoscaler whose target does not exist, so that no controller scales the workloads under test. */
const AUTOSCALER = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: hpa-a
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: deployment-worker
  minReplicas: 1
  maxReplicas: 4
`;

const BASE = `${apiServer('23.07.0', 2)}---\n${databaseStatefulSet(1)}---\n${AUTOSCALER}`;
const OBJECTS = ['deployment-api-server', 'hpa-a', 'statefulset-db'];

type Workload = KubeObject & { spec: { replicas: number } };

describe('Instabase drift after hibernation and paused autoscaling, on a real control plane', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const post = async (path: string) => (await call(path, { method: 'POST' })).status;
  const drift = async () => (await call('/configs/k8s-inconsistencies')).json();
  const ref = (apiVersion: string, kind: string, name: string): KubeObjectRef & { metadata: { name: string; namespace: string } } =>
    ({ apiVersion, kind, metadata: { name, namespace: kube.namespace } });
  const replicas = async (name: string) => unwrap(await getObject<Workload>(kube.client, ref('apps/v1', 'Deployment', name))).spec.replicas;
  const autoscalers = async () => unwrap(await listObjects(kube.client, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { namespace: kube.namespace } })).items.map((h) => h.metadata.name);
  /** A change by another field manager, as `kubectl` sends it. */
  const byHand = async (target: KubeObjectRef, suffix: string, contentType: string, body: unknown) => {
    const path = unwrap(await kube.client.http.resourcePath(target, 'read'));
    unwrap(await kube.client.http.send({ method: 'PATCH', path: `${path}${suffix}`, query: { fieldManager: 'kubectl' }, contentType, body: JSON.stringify(body) }));
  };

  beforeAll(async () => {
    kube = await createTestNamespace('ibdrift');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.07.0', base_config: BASE }).toString() });
    expect({ status: upload.status, applied: ((await upload.json()).data.successful_apply as string[]).sort() }).toEqual({ status: 200, applied: OBJECTS });
    expect(await drift()).toMatchObject({ numInconsistencies: 0, consistentResources: OBJECTS });
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('hibernated: the workloads at 0 replicas are what Slipway intends, not drift', async () => {
    expect(await post('/deployment/hibernate')).toBe(200);
    expect(await replicas('deployment-api-server')).toBe(0);
    expect(await drift()).toMatchObject({ numInconsistencies: 0, consistentResources: OBJECTS });
  });

  it('hibernated: a workload someone scales back up, or whose image someone changes, is drift', async () => {
    // what `kubectl scale --replicas=3` sends: a patch of the scale subresource
    await byHand(ref('apps/v1', 'Deployment', 'deployment-api-server'), '/scale', 'application/merge-patch+json', { spec: { replicas: 3 } });
    // what `kubectl set image` sends
    await byHand(ref('apps/v1', 'StatefulSet', 'statefulset-db'), '', 'application/strategic-merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'db', image: 'postgres:17' }] } } } });
    expect(await drift()).toMatchObject({
      numInconsistencies: 2,
      inconsistentResources: {
        'deployment-api-server': { diffRows: [{ key: 'spec.replicas', expected: '0', got: '3' }] },
        'statefulset-db': { diffRows: [{ key: 'spec.template.spec.containers[name="db"].image', expected: 'postgres:16', got: 'postgres:17' }] },
      },
      consistentResources: ['hpa-a'],
    });

    // a push mends it, keeping the workloads asleep
    expect(await post('/deployment/update')).toBe(200);
    expect(await replicas('deployment-api-server')).toBe(0);
    expect(await drift()).toMatchObject({ numInconsistencies: 0, consistentResources: OBJECTS });
  });

  it('revived: the config\'s replicas are intended again', async () => {
    expect(await post('/deployment/revive')).toBe(200);
    expect(await replicas('deployment-api-server')).toBe(2);
    expect(await drift()).toMatchObject({ numInconsistencies: 0, consistentResources: OBJECTS });
  });

  it('paused: the autoscaler the pause deleted is not drift, one someone re-creates by hand is', async () => {
    expect(await post('/autoscaling/controllers/pause')).toBe(200);
    expect(await autoscalers()).toEqual([]);
    expect(await drift()).toMatchObject({ numInconsistencies: 0, consistentResources: OBJECTS });

    // what `kubectl apply --server-side` of the autoscaler's manifest sends
    const hpa = ref('autoscaling/v2', 'HorizontalPodAutoscaler', 'hpa-a');
    await byHand(hpa, '', 'application/apply-patch+yaml', {
      ...hpa, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'deployment-worker' }, minReplicas: 1, maxReplicas: 4 },
    });
    expect(await drift()).toMatchObject({ numInconsistencies: 1, inconsistentResources: { 'hpa-a': { diffRows: [{ key: 'metadata.name', expected: '<missing>', got: 'hpa-a' }] } } });
    unwrap(await deleteObject(kube.client, hpa));
    expect(await autoscalers()).toEqual([]);
  });

  it('paused: an autoscaler a push re-created since the pause is intended as pushed, and stays so after resume', async () => {
    expect(await post('/deployment/update/hpa-a')).toBe(200);
    expect(await autoscalers()).toEqual(['hpa-a']);
    expect(await drift()).toMatchObject({ numInconsistencies: 0, consistentResources: OBJECTS });
    expect(await post('/autoscaling/controllers/resume')).toBe(200);
    expect(await drift()).toMatchObject({ numInconsistencies: 0, consistentResources: OBJECTS });
  });
});
