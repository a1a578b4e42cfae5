import { getObject, unwrap, type KubeObject } from '@slipway/kube';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { apiServer as api, callInstabase, databaseStatefulSet, form } from './instabase-fixtures';

/**
 * Pushing configs while the cluster is hibernated, on the real control plane: the workloads
 * stay at 0 (the hibernation owns their replicas, as an autoscaler would), everything else
 * the config changed is applied, and revive brings them up at the replicas the latest
 * config asks for. After the revival, the config owns the replicas again.
 */

const DB = databaseStatefulSet(2);

type Workload = KubeObject & { spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } };

describe('Instabase: pushing configs to a hibernated cluster', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const upload = async (release: string, text: string) => {
    const response = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: release, base_config: text }).toString() });
    return { status: response.status, body: await response.json() };
  };
  const live = async (kind: string, name: string) =>
    unwrap(await getObject<Workload>(kube.client, { apiVersion: 'apps/v1', kind, metadata: { name, namespace: kube.namespace } }));
  const apiServer = async () => {
    const deployment = await live('Deployment', 'deployment-api-server');
    return { replicas: deployment.spec.replicas, image: deployment.spec.template.spec.containers[0]!.image };
  };

  beforeAll(async () => {
    kube = await createTestNamespace('ibh');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('applies a changed config while hibernated without waking the workloads, and revive restores the new replicas', async () => {
    // given a running workload, then a hibernation
    expect(await upload('23.07.0', api('23.07.0', 2))).toMatchObject({ status: 200, body: { data: { successful_apply: ['deployment-api-server'] } } });
    expect(await apiServer()).toEqual({ replicas: 2, image: 'gcr.io/instabase-public/api-server:23.07.0' });
    expect((await call('/deployment/hibernate', { method: 'POST' })).status).toBe(200);
    expect((await apiServer()).replicas).toBe(0);

    // when a config that changes the image and the replicas is pushed, with a new workload
    const pushed = await upload('23.08.0', `${api('23.08.0', 3)}---\n${DB}`);

    // then both are applied, the image is live, and nothing woke up
    expect(pushed.status).toBe(200);
    expect(pushed.body.data.successful_apply.sort()).toEqual(['deployment-api-server', 'statefulset-db']);
    expect(pushed.body.data.failed_to_apply).toEqual([]);
    expect(await apiServer()).toEqual({ replicas: 0, image: 'gcr.io/instabase-public/api-server:23.08.0' });
    expect((await live('StatefulSet', 'statefulset-db')).spec.replicas).toBe(0);

    // and revive brings each workload up at the replicas its latest config asks for
    expect((await call('/deployment/revive', { method: 'POST' })).status).toBe(200);
    expect(await apiServer()).toEqual({ replicas: 3, image: 'gcr.io/instabase-public/api-server:23.08.0' });
    expect((await live('StatefulSet', 'statefulset-db')).spec.replicas).toBe(2);

    // and the golden config agrees with the revived workloads: no drift on the replicas
    const drift = await (await call('/configs/k8s-inconsistencies')).json();
    expect(drift.inconsistentResources['deployment-api-server']).toBeUndefined();
    expect(drift.consistentResources).toEqual(expect.arrayContaining(['deployment-api-server', 'statefulset-db']));
  });

  it('after the revival a config sets the replicas again, though the revival scaled them', async () => {
    const pushed = await upload('23.09.0', api('23.09.0', 4));
    expect(pushed).toMatchObject({ status: 200, body: { data: { successful_apply: ['deployment-api-server'] } } });
    expect(pushed.body.data.failed_to_apply).toEqual([]);
    expect(await apiServer()).toEqual({ replicas: 4, image: 'gcr.io/instabase-public/api-server:23.09.0' });
  });

  it('a second hibernation remembers the replicas the config set', async () => {
    expect((await call('/deployment/hibernate', { method: 'POST' })).status).toBe(200);
    expect((await apiServer()).replicas).toBe(0);
    expect((await call('/deployment/revive', { method: 'POST' })).status).toBe(200);
    expect((await apiServer()).replicas).toBe(4);
  });
});
