import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { applyObject } from './apply-object';
import { kubeClientFor, type KubeClient } from './kube-client';
import { unwrap } from './kube-error';
import type { KubeObject } from './kube-object';
import { watchResource } from './watch-resource';

/**
 * A watch refused for good (the identity may list but not watch) ends by throwing, as a
 * refused list does, rather than being retried every few seconds for ever.
 */
describe('Kubernetes port: a watch its identity may not make', () => {
  let ns: TestNamespace;
  let listOnly: KubeClient;
  beforeAll(async () => {
    ns = await createTestNamespace('refused');
    const object = (kind: string, apiVersion: string, rest: object): KubeObject => ({ apiVersion, kind, metadata: { name: 'list-only', namespace: ns.namespace }, ...rest });
    unwrap(await applyObject(ns.client, object('ServiceAccount', 'v1', {})));
    unwrap(await applyObject(ns.client, object('Role', 'rbac.authorization.k8s.io/v1', { rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] })));
    unwrap(await applyObject(ns.client, object('RoleBinding', 'rbac.authorization.k8s.io/v1', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'list-only' },
      subjects: [{ kind: 'ServiceAccount', name: 'list-only', namespace: ns.namespace }],
    })));
    const admin = ns.client.config;
    const issued = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      name: 'list-only', namespace: ns.namespace, body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const cluster = admin.getCurrentCluster()!;
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [cluster], users: [{ name: 'list-only', token: issued.status!.token }],
      contexts: [{ name: 'list-only', cluster: cluster.name, user: 'list-only' }], currentContext: 'list-only',
    });
    listOnly = kubeClientFor(config);
  });
  afterAll(async () => {
    await listOnly?.close();
    await ns?.dispose();
  });

  it('lists, then ends with the refusal (forbidden, with the API server\'s message) when it asks to watch', async () => {
    const seen: string[] = [];
    const watching = (async () => {
      for await (const event of watchResource(listOnly, { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.namespace })) seen.push(event.type);
    })();
    // typed as a refused list is (kubeError), in the API server's words: final, not retried
    await expect(watching).rejects.toMatchObject({
      kubeError: { kind: 'forbidden', message: expect.stringContaining('cannot watch resource "configmaps"') },
    });
    expect(seen.at(-1)).toBe('SYNCED');
  });
});
