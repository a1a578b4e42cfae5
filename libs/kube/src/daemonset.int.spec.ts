import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { eventually } from '@slipway/testing';
import { applyObject } from './apply-object';
import { assessHealth } from './health';
import { unwrap } from './kube-error';
import type { KubeObject } from './kube-object';
import { getObject, listObjects } from './read-object';
import { owner, PAUSE } from './kube.testing';
import { withSlipwayLabels } from './slipway-labels';

describe('Kubernetes port: a DaemonSet with a node selector', () => {
  let ns: TestNamespace;
  beforeAll(async () => (ns = await createTestNamespace('daemon')));
  afterAll(async () => ns?.dispose());

  const daemonSet = (name: string, nodeSelector: Record<string, string>): KubeObject => withSlipwayLabels({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns.namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { nodeSelector, containers: [{ name: 'agent', image: PAUSE }] } },
    },
  }, owner(name));

  const nodesWith = async (label: string, value: string) =>
    unwrap(await listObjects(ns.client, { apiVersion: 'v1', kind: 'Node', metadata: {} }, { labelSelector: `${label}=${value}` })).items.map((node) => node.metadata.name).sort();
  const podNodes = async (app: string) =>
    unwrap(await listObjects(ns.client, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns.namespace } }, { labelSelector: `app=${app}` })).items
      .map((pod) => (pod.spec as { nodeName?: string }).nodeName ?? '(unscheduled)').sort();

  it.each([
    ['pool', 'slipway.io/pool', 'pool-b'],
    ['zone', 'topology.kubernetes.io/zone', 'zone-a'],
  ])('lands one pod on each node matching the %s selector and on no other', async (name, label, value) => {
    const expected = await nodesWith(label, value);
    const all = unwrap(await listObjects(ns.client, { apiVersion: 'v1', kind: 'Node', metadata: {} })).items;
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length); // the selector really excludes nodes

    unwrap(await applyObject(ns.client, daemonSet(name, { [label]: value })));
    await eventually(async () => {
      const live = unwrap(await getObject(ns.client, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: ns.namespace } }));
      expect(live.status).toMatchObject({ desiredNumberScheduled: expected.length, numberReady: expected.length });
      expect(assessHealth(live).status).toBe('Healthy');
      expect(await podNodes(name)).toEqual(expected);
    }, 45_000, 200);
  });
});
