import { findObject, getObject, unwrap, type KubeObject } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { apiServer, callInstabase, form } from './instabase-fixtures';

/**
 * What a push owns on a real control plane: a Job, whose pod template cannot change once it
 * exists, across releases (kept when unchanged, replaced when changed); and fields another
 * manager changed since the last push.
 */

const migrateJob = (tag = '1', completions = 1) => `apiVersion: batch/v1
kind: Job
metadata:
  name: job-migrate
spec:
  backoffLimit: 1
  completions: ${completions}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: gcr.io/instabase-public/migrate:${tag}
`;

type Labelled = KubeObject & { spec: { completions?: number; template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ image: string }> } } } };

describe('Instabase pushes and what they own, on a real control plane', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const upload = async (release: string, jobTag?: string, completions?: number, headers: Record<string, string> = {}) => {
    const answer = await call('/base_configs', { method: 'POST', headers: { ...form, ...headers }, body: new URLSearchParams({ release_version: release, base_config: `${apiServer(release)}---\n${migrateJob(jobTag, completions)}` }).toString() });
    return { status: answer.status, body: await answer.json() };
  };
  const live = async (apiVersion: string, kind: string, name: string) =>
    unwrap(await getObject<Labelled>(kube.client, { apiVersion, kind, metadata: { name, namespace: kube.namespace } }));

  beforeAll(async () => {
    kube = await createTestNamespace('ib-own');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    expect(await upload('21.2.0')).toMatchObject({ status: 200, body: { data: { successful_apply: expect.arrayContaining(['job-migrate', 'deployment-api-server']) } } });
  });

  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('takes a new release whose Job is unchanged: the Job keeps the pod template it was created with', async () => {
    const before = await live('batch/v1', 'Job', 'job-migrate');
    expect(before.spec.template.metadata.labels['slipway.io/revision']).toBe('21.2.0-0');
    expect(await upload('21.2.1')).toMatchObject({ status: 200, body: { data: { successful_apply: expect.arrayContaining(['job-migrate', 'deployment-api-server']) } } });
    const after = await live('batch/v1', 'Job', 'job-migrate');
    expect(after.metadata.labels?.['slipway.io/revision']).toBe('21.2.1-0');
    expect(after.spec.template.metadata.labels).toEqual(before.spec.template.metadata.labels);
    // the Deployment, unlike the Job, rolls to the new release
    expect((await live('apps/v1', 'Deployment', 'deployment-api-server')).spec.template.metadata.labels['slipway.io/revision']).toBe('21.2.1-0');
  });

  it('replaces a Job whose pod template a new release changes: the new one runs, the old one is gone', async () => {
    const before = await live('batch/v1', 'Job', 'job-migrate');
    expect(await upload('21.2.2', '2')).toMatchObject({ status: 200, body: { data: { successful_apply: expect.arrayContaining(['job-migrate', 'deployment-api-server']) } } });
    const after = await live('batch/v1', 'Job', 'job-migrate');
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(after.spec.template.spec.containers[0]!.image).toBe('gcr.io/instabase-public/migrate:2');
    expect(after.spec.template.metadata.labels['slipway.io/revision']).toBe('21.2.2-0');
  });

  it('replaces a Job whose other immutable field a new release changes (completions), keeping its pod template', async () => {
    const before = await live('batch/v1', 'Job', 'job-migrate');
    expect(await upload('21.2.3', '2', 2)).toMatchObject({ status: 200, body: { data: { successful_apply: expect.arrayContaining(['job-migrate']) } } });
    const after = await live('batch/v1', 'Job', 'job-migrate');
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(after.spec.completions).toBe(2);
    expect(after.spec.template.spec.containers[0]!.image).toBe('gcr.io/instabase-public/migrate:2');
  });

  it('takes back what another manager changed since the last push, which mends the drift', async () => {
    const path = unwrap(await kube.client.http.resourcePath({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'deployment-api-server', namespace: kube.namespace } }, 'read'));
    // What `kubectl set image` does: an update by another manager of a field Slipway applied.
    unwrap(await kube.client.http.send({
      method: 'PATCH', path, query: { fieldManager: 'kubectl-set' }, contentType: 'application/strategic-merge-patch+json',
      body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'api-server', image: 'gcr.io/instabase-public/api-server:hotfix' }] } } } }),
    }));
    const drift = await (await call('/configs/k8s-inconsistencies')).json();
    expect(drift.inconsistentResources['deployment-api-server']).toBeDefined();

    const pushed = await call('/deployment/update/deployment-api-server', { method: 'POST' });
    expect({ status: pushed.status, body: await pushed.json() }).toEqual({ status: 200, body: { statusCode: 200, data: { successful_apply: ['deployment-api-server'], failed_to_apply: {} }, error: null } });
    expect((await live('apps/v1', 'Deployment', 'deployment-api-server')).spec.template.spec.containers[0]!.image).toBe('gcr.io/instabase-public/api-server:21.2.3');
    expect((await (await call('/configs/k8s-inconsistencies')).json()).numInconsistencies).toBe(0);
  });

  it('adopts an object made with client-side kubectl apply: what its config leaves out goes, as with kubectl apply --server-side (probe: it stayed, and drift said consistent)', async () => {
    // What `kubectl apply` (client-side) does to create an object: a create under its manager.
    const adopt = (env: Array<{ name: string; value: string }>, labels: Record<string, string>) => ({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'adopted', namespace: kube.namespace, labels }, data: Object.fromEntries(env.map((e) => [e.name, e.value])),
    });
    const collection = unwrap(await kube.client.http.resourcePath({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: kube.namespace } }, 'list'));
    unwrap(await kube.client.http.send({
      method: 'POST', path: collection, query: { fieldManager: 'kubectl-client-side-apply' }, contentType: 'application/json',
      body: JSON.stringify(adopt([{ name: 'A', value: '1' }, { name: 'B', value: '2' }], { old: 'yes' })),
    }));
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: adopted\ndata:\n  A: "1"\n';
    const answer = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '21.2.0', base_config: config }).toString() });
    expect({ status: answer.status, applied: (await answer.json()).data?.successful_apply }).toEqual({ status: 200, applied: ['adopted'] });
    const adopted = await live('v1', 'ConfigMap', 'adopted') as KubeObject & { data: Record<string, string> };
    expect(adopted.data).toEqual({ A: '1' });
    expect(adopted.metadata.labels?.old).toBeUndefined();
    expect(adopted.metadata.managedFields?.map((entry) => entry.manager)).not.toContain('kubectl-client-side-apply');
  });

  it('removes what a release leaves out though it was changed by hand since the last push, or nobody owns it (a Secret key sent as stringData before 2026-12-08), keeping what the hand added (probe: it stayed, and drift said consistent)', async () => {
    const upload = async (release: string, text: string) => {
      const answer = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: release, base_config: text }).toString() });
      expect({ status: answer.status, applied: (await answer.json()).data?.successful_apply }).toEqual({ status: 200, applied: ['hand-edited', 'hand-web', 'old-keys'] });
    };
    // a Deployment too, whose controller writes its status a moment after each release rolls it (the take-over is tried again then)
    const web = (annotations: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hand-web\n  annotations: {${annotations}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: hand-web}}\n  template:\n    metadata: {labels: {app: hand-web}}\n    spec:\n      containers: [{name: web, image: registry.example/web:1}]\n`;
    await upload('21.2.0', `${web('owner: team-a')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hand-edited\n  annotations: {owner: team-a}\ndata: {a: "1", b: "2"}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: old-keys\nstringData: {a: one, b: two}\n`);
    const path = async (kind: string, name: string) => unwrap(await kube.client.http.resourcePath({ apiVersion: 'v1', kind, metadata: { name, namespace: kube.namespace } }, 'read'));
    // by hand: a field Slipway set changed, and one of the hand's own added
    unwrap(await kube.client.http.send({
      method: 'PATCH', path: await path('ConfigMap', 'hand-edited'), query: { fieldManager: 'kubectl-patch' }, contentType: 'application/merge-patch+json',
      body: JSON.stringify({ metadata: { annotations: { owner: 'hand', note: 'kept' } }, data: { b: 'hand' } }),
    }));
    unwrap(await kube.client.http.send({
      method: 'PATCH', path: unwrap(await kube.client.http.resourcePath({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hand-web', namespace: kube.namespace } }, 'read')),
      query: { fieldManager: 'kubectl-annotate' }, contentType: 'application/merge-patch+json', body: JSON.stringify({ metadata: { annotations: { owner: 'hand' } } }),
    }));
    // what a push before 2026-12-08 left: the apply owning the Secret's keys as stringData, nobody the data keys they became
    unwrap(await kube.client.http.send({
      method: 'PATCH', path: await path('Secret', 'old-keys'), query: { fieldManager: 'slipway', force: 'true' }, contentType: 'application/apply-patch+yaml',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'old-keys', namespace: kube.namespace }, stringData: { a: 'one', b: 'two' } }),
    }));
    await upload('21.2.1', `${web('team: web')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hand-edited\ndata: {a: "1"}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: old-keys\nstringData: {a: one}\n`);
    const { owner, team } = (await live('apps/v1', 'Deployment', 'hand-web')).metadata.annotations ?? {};
    expect({ owner, team }).toEqual({ owner: undefined, team: 'web' });
    const edited = await live('v1', 'ConfigMap', 'hand-edited') as KubeObject & { data: Record<string, string> };
    expect({ data: edited.data, owner: edited.metadata.annotations?.owner, note: edited.metadata.annotations?.note }).toEqual({ data: { a: '1' }, owner: undefined, note: 'kept' });
    expect(Object.keys((await live('v1', 'Secret', 'old-keys') as KubeObject & { data: Record<string, string> }).data)).toEqual(['a']);
    const drift = await (await call('/configs/k8s-inconsistencies')).json();
    expect(drift.consistentResources).toEqual(expect.arrayContaining(['hand-edited', 'hand-web', 'old-keys']));
  });

  it('leaves a Job made outside Slipway as it is, its push refused saying so (its pod template cannot take Slipway\'s labels; probe: it was deleted and run again); deleted, the push creates it, and a push after does not run it again', async () => {
    const job = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'adopted-job', namespace: kube.namespace },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'registry.example/run:1', env: [{ name: 'EXTRA', value: '1' }] }] } } },
    };
    const collection = unwrap(await kube.client.http.resourcePath({ apiVersion: 'batch/v1', kind: 'Job', metadata: { namespace: kube.namespace } }, 'list'));
    unwrap(await kube.client.http.send({
      method: 'POST', path: collection, query: { fieldManager: 'kubectl-client-side-apply' }, contentType: 'application/json', body: JSON.stringify(job),
    }));
    const made = (await live('batch/v1', 'Job', 'adopted-job')).metadata.uid;
    const config = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: adopted-job\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: run\n        image: registry.example/run:1\n';
    const refused = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '21.2.0', base_config: config }).toString() });
    const body = await refused.json();
    expect(refused.status).toBe(500);
    expect(body.error).toContain('Job/adopted-job was not applied by Slipway (it has no "slipway" apply entry; written by "kubectl-client-side-apply")');
    expect((await live('batch/v1', 'Job', 'adopted-job')).metadata.uid).toBe(made);
    unwrap(await kube.client.http.send({ method: 'DELETE', path: `${collection}/adopted-job`, query: { propagationPolicy: 'Background' } }));
    await eventually(async () => expect(await findObject(kube.client, job)).toEqual({ ok: true, value: undefined }));
    const pushed = await call('/deployment/update/adopted-job', { method: 'POST' });
    expect({ status: pushed.status, applied: (await pushed.json()).data?.successful_apply }).toEqual({ status: 200, applied: ['adopted-job'] });
    const created = (await live('batch/v1', 'Job', 'adopted-job')).metadata.uid;
    expect(created).not.toBe(made);
    const again = await call('/deployment/update/adopted-job', { method: 'POST' });
    expect({ status: again.status, applied: (await again.json()).data?.successful_apply }).toEqual({ status: 200, applied: ['adopted-job'] });
    expect((await live('batch/v1', 'Job', 'adopted-job')).metadata.uid).toBe(created);
  });

  it('records a write and the push it leads to under the request\'s X-Correlation-Id', async () => {
    expect(await upload('21.2.4', '2', 2, { 'x-correlation-id': 'upgrade-21.2.4' })).toMatchObject({ status: 200, body: { data: { successful_apply: expect.arrayContaining(['deployment-api-server']) } } });
    const chain = await (await stack.request('/api/v1/events?correlationId=upgrade-21.2.4&limit=1000')).json();
    const types = new Set(chain.events.map((e: { type: string }) => e.type));
    expect(types).toContain('cluster.config-applied.v1');
    expect([...types].some((type) => !String(type).startsWith('cluster.'))).toBe(true);
    // the push is a command of its own, in the same chain, caused by the write
    type Logged = { type: string; metadata: { commandId: string; causationId?: string } };
    const write = chain.events.find((e: Logged) => !e.type.startsWith('cluster.')) as Logged;
    const push = chain.events.find((e: Logged) => e.type === 'cluster.config-applied.v1') as Logged;
    expect(push.metadata.commandId).not.toBe(write.metadata.commandId);
    expect(push.metadata.causationId).toBe(write.metadata.commandId);
  });
});
