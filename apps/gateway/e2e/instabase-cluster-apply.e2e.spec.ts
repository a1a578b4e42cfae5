import { getObject, unwrap, applyObject, type KubeObject } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { apiServer, brokenDeployment, callInstabase, form } from './instabase-fixtures';

/**
 * The Instabase cluster endpoints against the real control plane: push, golden state,
 * drift, hibernate/revive, pod quarantine, namespace info — through the gateway.
 */

const BASE = `${apiServer('23.07.0', 2, 'instabase')}---
apiVersion: v1
kind: Service
metadata:
  name: service-api-server
  namespace: instabase
spec:
  selector:
    app: api-server
  ports:
  - name: http
    protocol: TCP
    port: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hot-configs
  namespace: instabase
data:
  LOG_LEVEL: INFO
---
${brokenDeployment('1.0', 'instabase')}`;

describe('Instabase cluster operations on a real control plane', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const live = async <T extends KubeObject>(apiVersion: string, kind: string, name: string) =>
    unwrap(await getObject<T>(kube.client, { apiVersion, kind, metadata: { name, namespace: kube.namespace } }));
  const replicas = async () => (await live<KubeObject & { spec: { replicas: number } }>('apps/v1', 'Deployment', 'deployment-api-server')).spec.replicas;

  beforeAll(async () => {
    kube = await createTestNamespace('ib');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.07.0', base_config: BASE }).toString() });
    // deployment-broken fails to apply: the document's failure answer.
    expect(upload.status).toBe(500);
    uploaded = (await upload.json()).data;
  });
  let uploaded: { successful_apply: string[]; failed_to_apply?: string[] };

  it('applies what an upload changed and says which objects failed', () => {
    expect(uploaded.successful_apply.sort()).toEqual(['deployment-api-server', 'hot-configs', 'service-api-server']);
    expect(uploaded.failed_to_apply).toEqual(['deployment-broken']);
  });
  afterAll(async () => {
    await stack.stop();
    await kube.dispose();
  });

  it('names the Deployment Manager namespace', async () => {
    expect(await (await call('/deployments/namespace')).json()).toEqual({ statusCode: 200, data: { namespace: kube.namespace }, error: null });
  });

  it('pushes every object: applied ones land in the cluster with Slipway labels, a broken one fails with the API server reason', async () => {
    const response = await call('/deployment/update', { method: 'POST' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.data.successful_apply.sort()).toEqual(['deployment-api-server', 'hot-configs', 'service-api-server']);
    expect(Object.keys(body.data.failed_to_apply)).toEqual(['deployment-broken']);
    expect(body.data.failed_to_apply['deployment-broken']).toMatch(/selector/i);

    const deployment = await live('apps/v1', 'Deployment', 'deployment-api-server');
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'slipway', 'slipway.io/deployment-name': 'deployment-api-server', 'slipway.io/revision': '23.07.0-0',
    });
    expect(deployment.metadata.managedFields?.some((f) => f.manager === 'slipway' && f.operation === 'Apply')).toBe(true);
    // The materialized config the deployer applied is now the golden one.
    await eventually(async () => expect((await (await call('/configs/hot-configs')).json()).state).toBe('IS_GOLDEN'));
    expect((await (await call('/configs/deployment-broken')).json()).state).toBe('NOT_GOLDEN');
  });

  it('pushes one object, and refuses an object that has no config', async () => {
    const one = await (await call('/deployment/update/hot-configs', { method: 'POST' })).json();
    expect(one).toEqual({ statusCode: 200, data: { successful_apply: ['hot-configs'], failed_to_apply: {} }, error: null });
    const unknown = await call('/deployment/update/no-such-object', { method: 'POST' });
    expect(unknown.status).toBe(404);
  });

  it('a namespace rewrite (the deployer places every object in its own namespace anyway) rolls no pods', async () => {
    type Workload = KubeObject & { metadata: { generation?: number }; spec: { template: { metadata: { labels: Record<string, string> } } } };
    const before = await live<Workload>('apps/v1', 'Deployment', 'deployment-api-server');
    const rewrite = await call('/patches/namespace', { method: 'POST', headers: form, body: 'namespace=elsewhere' });
    expect((await rewrite.json()).data.successful_apply).toContain('deployment-api-server');
    const after = await live<Workload>('apps/v1', 'Deployment', 'deployment-api-server');
    // the object carries the new revision; its pod template, unchanged, keeps the one its pods run
    expect(after.metadata.labels?.['slipway.io/revision']).not.toBe(before.metadata.labels?.['slipway.io/revision']);
    expect(after.spec.template.metadata.labels).toEqual(before.spec.template.metadata.labels);
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  it('reports drift between the golden config and the live object', async () => {
    const before = await (await call('/configs/k8s-inconsistencies')).json();
    expect(before.numInconsistencies).toBe(0);
    expect(before.consistentResources.sort()).toEqual(['deployment-api-server', 'hot-configs', 'service-api-server']);
    expect(before.skippedResources['deployment-broken']).toMatchObject({ code: 1, reason: expect.stringContaining('never pushed') });

    // What `kubectl edit` does: an update by another manager.
    const path = unwrap(await kube.client.http.resourcePath({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hot-configs', namespace: kube.namespace } }, 'read'));
    unwrap(await kube.client.http.send({ method: 'PATCH', path, query: { fieldManager: 'kubectl-edit' }, contentType: 'application/merge-patch+json', body: '{"data":{"LOG_LEVEL":"DEBUG"}}' }));

    const after = await (await call('/configs/k8s-inconsistencies', { method: 'POST' })).json();
    expect(after.numInconsistencies).toBe(1);
    expect(after.numInconstencies).toBe(1);
    expect(after.inconsistentResources).toEqual({ 'hot-configs': { diffRows: [{ key: 'data.LOG_LEVEL', expected: 'INFO', got: 'DEBUG' }] } });
  });

  it('is not fooled by canonical quantities or by containers another party put first, and names a changed field by container', async () => {
    const resources = `# target: deployment-api-server
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: api-server
        resources:
          requests: { cpu: 1000m, memory: 1024Mi, ephemeral-storage: 0.5Gi }
          limits: { cpu: "2.0", memory: 2048Mi }
`;
    const patched = await call('/patches/apply', { method: 'POST', headers: form, body: new URLSearchParams({ patch: resources }).toString() });
    expect((await patched.json()).data.successful_apply).toEqual(['deployment-api-server']);
    type Container = { name: string; image: string; resources?: unknown };
    const containers = async () => (await live<KubeObject & { spec: { template: { spec: { containers: Container[] } } } }>('apps/v1', 'Deployment', 'deployment-api-server')).spec.template.spec.containers;
    // The API server stores every quantity in canonical form: the texts differ from the applied ones.
    expect((await containers())[0].resources).toEqual({ requests: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '512Mi' }, limits: { cpu: '2', memory: '2Gi' } });
    const drift = async () => (await (await call('/configs/k8s-inconsistencies')).json()).inconsistentResources['deployment-api-server'];
    expect(await drift()).toBeUndefined();

    // A sidecar injected in front of Slipway's container (what a mesh webhook does), by another manager.
    const path = unwrap(await kube.client.http.resourcePath({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'deployment-api-server', namespace: kube.namespace } }, 'read'));
    const jsonPatch = (operations: unknown[]) => kube.client.http.send({ method: 'PATCH', path, query: { fieldManager: 'mesh-injector' }, contentType: 'application/json-patch+json', body: JSON.stringify(operations) });
    unwrap(await jsonPatch([{ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'mesh-proxy', image: 'mesh/proxy:1' } }]));
    expect((await containers()).map((c) => c.name)).toEqual(['mesh-proxy', 'api-server']);
    expect(await drift()).toBeUndefined();

    unwrap(await jsonPatch([{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'gcr.io/instabase-public/api-server:hotfix' }]));
    expect(await drift()).toEqual({ diffRows: [{ key: 'spec.template.spec.containers[name="api-server"].image', expected: 'gcr.io/instabase-public/api-server:23.07.0', got: 'gcr.io/instabase-public/api-server:hotfix' }] });
  });

  it('hibernates (every workload to 0) and revives (replicas restored)', async () => {
    expect(await replicas()).toBe(2);
    const hibernated = await call('/deployment/hibernate', { method: 'POST' });
    expect({ status: hibernated.status, body: await hibernated.json() }).toEqual({ status: 200, body: { statusCode: 200, data: null, error: null } });
    expect(await replicas()).toBe(0);
    expect((await call('/deployment/revive', { method: 'POST' })).status).toBe(200);
    expect(await replicas()).toBe(2);
    const again = await call('/deployment/revive', { method: 'POST' });
    expect(again.status).toBe(409);
  });

  it('quarantines a pod: it leaves the Service selector and keeps existing', async () => {
    unwrap(await applyObject(kube.client, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-server-debug', namespace: kube.namespace, labels: { app: 'api-server', tier: 'web' } },
      spec: { containers: [{ name: 'api-server', image: 'gcr.io/instabase-public/api-server:23.07.0' }] },
    }));
    const response = await call('/kube/pod/quarantine', { method: 'POST', headers: form, body: 'pod=api-server-debug' });
    expect(await response.json()).toEqual({ statusCode: 200, data: null, error: null });
    const pod = await live('v1', 'Pod', 'api-server-debug');
    expect(pod.metadata.labels).toMatchObject({ tier: 'web', 'slipway.io/quarantined': 'true' });
    expect(pod.metadata.labels).not.toHaveProperty('app');
    expect(pod.metadata.deletionTimestamp).toBeUndefined();
    expect(pod.metadata.annotations?.['slipway.io/quarantined-labels']).toBe('{"app":"api-server"}');
  });

  it('refuses to quarantine a StatefulSet\'s pod by its selector\'s labels (the StatefulSet could not replace it), naming them', async () => {
    const labels = { app: 'quarantine-db' };
    unwrap(await applyObject(kube.client, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'quarantine-db', namespace: kube.namespace }, spec: { selector: labels, ports: [{ port: 5432 }] } }));
    unwrap(await applyObject(kube.client, {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'quarantine-db', namespace: kube.namespace },
      spec: { serviceName: 'quarantine-db', replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } } },
    }));
    await eventually(async () => expect((await getObject(kube.client, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'quarantine-db-0', namespace: kube.namespace } })).ok).toBe(true), 30_000);

    const refused = await call('/kube/pod/quarantine', { method: 'POST', headers: form, body: 'pod=quarantine-db-0' });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatch(/StatefulSet "quarantine-db", whose selector uses "app"/);
    expect((await live('v1', 'Pod', 'quarantine-db-0')).metadata.labels).toMatchObject(labels);
  });

  it('deletes a pod and a job, and answers 404 for ones that do not exist', async () => {
    unwrap(await applyObject(kube.client, {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'db-migrate', namespace: kube.namespace },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'busybox:1.36' }] } } },
    }));
    expect((await call('/kube/job/db-migrate', { method: 'DELETE' })).status).toBe(200);
    await eventually(async () => expect((await getObject(kube.client, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'db-migrate', namespace: kube.namespace } })).ok).toBe(false), 20_000);
    expect((await call('/kube/job/db-migrate', { method: 'DELETE' })).status).toBe(404);

    expect((await call('/kube/pod/delete', { method: 'POST', headers: form, body: 'pod=api-server-debug' })).status).toBe(200);
    const gone = await call('/kube/pod/delete', { method: 'POST', headers: form, body: 'pod=no-such-pod' });
    expect(gone.status).toBe(404);
    expect((await gone.json()).error).toContain('no-such-pod');
  });

  it('pushes what setting up changes: an object whose bindings were deleted is bound to its kind again, and that kind\'s patch reaches the cluster', async () => {
    const post = (path: string, body: Record<string, string>) => call(path, { method: 'POST', headers: form, body: new URLSearchParams(body).toString() });
    const level = async () => (await live<KubeObject & { data: Record<string, string> }>('v1', 'ConfigMap', 'hot-configs')).data.LOG_LEVEL;
    const state = async () => (await (await call('/configs/hot-configs')).json()).state;
    // a patch of every ConfigMap (its kind's default label), pushed
    expect((await post('/patches/apply', { patch: '# target: ConfigMap\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: WARN\n' })).status).toBe(200);
    expect(await level()).toBe('WARN');
    // the object's bindings deleted: the patch no longer reaches it, pushed too
    expect((await call('/resource_labels/binding/hot-configs', { method: 'DELETE' })).status).toBe(200);
    expect(await level()).not.toBe('WARN');
    // when set up (again), it is bound to ConfigMap again, and the cluster gets the patched config
    const setup = await call('/setup');
    expect(setup.status).toBe(200);
    expect(await setup.json()).toEqual({ status: 'OK' });
    await eventually(async () => expect(await level()).toBe('WARN'), 20_000);
    await eventually(async () => expect(await state()).toBe('IS_GOLDEN'), 20_000);
  });

  it('keeps a config\'s own managed-by label, which its selectors name, on the object and its pods (probe: overwritten, the push was refused: selector does not match template labels)', async () => {
    const labels = '{app: helm-web, app.kubernetes.io/managed-by: Helm}';
    const config = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: helm-web, labels: ${labels}}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec: {containers: [{name: web, image: nginx:1.27}]}\n`;
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.07.0', base_config: config }).toString() });
    expect({ status: upload.status, applied: (await upload.json()).data.successful_apply }).toEqual({ status: 200, applied: ['helm-web'] });
    const deployment = await live<KubeObject & { spec: { template: { metadata: { labels: Record<string, string> } } } }>('apps/v1', 'Deployment', 'helm-web');
    expect(deployment.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm', 'slipway.io/deployment-name': 'helm-web' });
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm', 'slipway.io/deployment-name': 'helm-web' });
  });

  it('pushes a CustomResourceDefinition before its custom resources, whatever their names, once it is served (probe: a resource sorting first was refused, no resource for its kind)', async () => {
    const definition = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.ibpush.slipway.test}
spec:
  group: ibpush.slipway.test
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
    const config = `${definition}---\napiVersion: ibpush.slipway.test/v1\nkind: Widget\nmetadata: {name: aa-widget}\nspec: {size: 3}\n`;
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.07.0', base_config: config }).toString() });
    const body = await upload.json();
    expect({ status: upload.status, applied: body.data.successful_apply.sort(), failed: body.data.failed_to_apply }).toEqual({ status: 200, applied: ['aa-widget', 'widgets.ibpush.slipway.test'], failed: [] });
    expect(await live<KubeObject & { spec: { size: number } }>('ibpush.slipway.test/v1', 'Widget', 'aa-widget')).toMatchObject({ metadata: { namespace: kube.namespace }, spec: { size: 3 } });
  });
});
