import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { eventually } from '@slipway/testing';
import { applyObject } from './apply-object';
import { unwrap } from './kube-error';
import type { KubeObject } from './kube-object';
import { assessHealth, aggregateHealth, type HealthStatus } from './health';
import { getObject, listObjects } from './read-object';
import { collect, deployment } from './kube.testing';
import { watchResource } from './watch-resource';

interface DeploymentStatus { replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number }
interface PodStatus { conditions?: Array<{ type: string; status: string }> }

describe('Kubernetes port: a Deployment on the real control plane', () => {
  let ns: TestNamespace;
  beforeAll(async () => (ns = await createTestNamespace('deploy')));
  afterAll(async () => ns?.dispose());

  const pods = async (app: string) =>
    unwrap(await listObjects(ns.client, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns.namespace } }, { labelSelector: `app=${app}` })).items
      .filter((pod) => !pod.metadata.deletionTimestamp);
  const ready = (pod: KubeObject) => (pod.status as PodStatus).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const live = async (name: string) => unwrap(await getObject(ns.client, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns.namespace } }));

  it('applies a Deployment whose pods become Ready while health goes Progressing → Healthy', async () => {
    const controller = new AbortController();
    const events = collect(watchResource(ns.client, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns.namespace }, { signal: controller.signal }));
    const healths = () => events.items.flatMap((event) => (event.type === 'SYNCED' ? [] : [assessHealth(event.object).status]));
    // The watch must be listening before the apply, or it could first see a finished rollout.
    await eventually(() => expect(events.items.map((event) => event.type)).toContain('SYNCED'));

    const applied = unwrap(await applyObject(ns.client, deployment(ns.namespace, 'web', 3)));
    // The apply answers with the live object: server-set fields are there, and the
    // controller has not caught up with generation 1 yet.
    expect(applied.metadata.uid).toBeTruthy();
    expect(applied.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('slipway');
    expect((applied.spec as { strategy?: { type?: string } }).strategy?.type).toBe('RollingUpdate');
    expect(assessHealth(applied).status).toBe('Progressing');

    await eventually(async () => {
      const running = await pods('web');
      expect(running).toHaveLength(3);
      expect(running.filter(ready)).toHaveLength(3);
      expect(aggregateHealth(running).status).toBe('Healthy');
      expect(running[0].metadata.labels?.['slipway.io/deployment-name']).toBe('web');
    }, 45_000, 200);
    await eventually(async () => expect(assessHealth(await live('web')).status).toBe('Healthy'), 30_000, 200);
    await eventually(() => expect(healths().at(-1)).toBe<HealthStatus>('Healthy'), 10_000);
    controller.abort();
    await events.done;
    expect(healths()[0]).toBe('Progressing');
    expect(healths().indexOf('Progressing')).toBeLessThan(healths().indexOf('Healthy'));
  });

  it('scales, and status counts and pods follow', async () => {
    unwrap(await applyObject(ns.client, deployment(ns.namespace, 'scaled', 1)));
    await eventually(async () => expect(assessHealth(await live('scaled')).status).toBe('Healthy'), 45_000, 200);

    unwrap(await applyObject(ns.client, deployment(ns.namespace, 'scaled', 4)));
    await eventually(async () => {
      const status = (await live('scaled')).status as DeploymentStatus;
      expect(status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
      expect((await pods('scaled')).filter(ready)).toHaveLength(4);
    }, 45_000, 200);

    unwrap(await applyObject(ns.client, deployment(ns.namespace, 'scaled', 2)));
    await eventually(async () => {
      expect(((await live('scaled')).status as DeploymentStatus).availableReplicas).toBe(2);
      expect(await pods('scaled')).toHaveLength(2);
      expect(assessHealth(await live('scaled')).status).toBe('Healthy');
    }, 45_000, 200);
  });

  it('rolls a new ReplicaSet when the image changes', async () => {
    unwrap(await applyObject(ns.client, deployment(ns.namespace, 'rolling', 2, 'registry.k8s.io/pause:3.9')));
    await eventually(async () => expect(assessHealth(await live('rolling')).status).toBe('Healthy'), 45_000, 200);
    const replicaSets = async () =>
      unwrap(await listObjects(ns.client, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { namespace: ns.namespace } }, { labelSelector: 'app=rolling' })).items;
    const imageOf = (rs: KubeObject) => (rs.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0].image;
    const [first] = await replicaSets();

    unwrap(await applyObject(ns.client, deployment(ns.namespace, 'rolling', 2, 'registry.k8s.io/pause:3.10')));
    await eventually(async () => {
      const all = await replicaSets();
      expect(all).toHaveLength(2);
      const next = all.find((rs) => rs.metadata.uid !== first.metadata.uid)!;
      expect(imageOf(next)).toBe('registry.k8s.io/pause:3.10');
      expect(next.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
      expect((all.find((rs) => rs.metadata.uid === first.metadata.uid)!.spec as { replicas: number }).replicas).toBe(0);
      expect(assessHealth(await live('rolling')).status).toBe('Healthy');
    }, 45_000, 200);
    expect(imageOf(first)).toBe('registry.k8s.io/pause:3.9');
  });
});
