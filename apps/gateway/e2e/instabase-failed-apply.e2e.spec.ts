import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type LooseResponse, type Stack } from './stack';
import { callInstabase } from './instabase-fixtures';

/**
 * The document's "If failure" for writes: when the push of what a write changed fails for
 * some object, the answer is HTTP 500 with `statusCode` 500, `data.successful_apply` and
 * `data.failed_to_apply`, and `error` the reason — here the API server's, for Deployments
 * it refuses (no selector). A write whose push fails for nothing stays 200.
 */
const form = { 'content-type': 'application/x-www-form-urlencoded' };

const broken = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: gcr.io/instabase-public/${name}:1.0
`;
const BASE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: fa-settings
data:
  LOG_LEVEL: INFO
---
${broken('deployment-broken')}---
${broken('deployment-broken-too')}`;

describe('Instabase writes whose push fails answer as the document\'s failure', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const post = (path: string, body: string, headers: Record<string, string> = form) => call(path, { method: 'POST', body, headers });
  const answer = async (response: LooseResponse) => ({ status: response.status, body: await response.json() });
  /** The document's failure shape, with the API server's reason for each failed object. */
  const failure = (applied: string[], failed: string[]) => ({
    status: 500,
    body: {
      statusCode: 500,
      data: { successful_apply: applied, failed_to_apply: failed, materialized: expect.any(Array) },
      error: expect.stringMatching(new RegExp(`^failed to apply ${failed.map((name) => `${name}: [^;]*selector[^;]*`).join('; ')}$`, 'i')),
    },
  });

  beforeAll(async () => {
    kube = await createTestNamespace('ibfail');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('upload: 500, what was applied, what failed, and each failure with its reason', async () => {
    const uploaded = await answer(await post('/base_configs', new URLSearchParams({ release_version: '23.07.0', base_config: BASE }).toString()));
    expect(uploaded).toEqual(failure(['fa-settings'], ['deployment-broken', 'deployment-broken-too']));
    expect(uploaded.body.data.materialized.sort()).toEqual(['deployment-broken', 'deployment-broken-too', 'fa-settings']);
  });

  it('a write whose push fails for nothing: 200, error null', async () => {
    const patch = '# target: fa-settings\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: DEBUG\n';
    expect(await answer(await post('/patches/apply', new URLSearchParams({ patch }).toString()))).toEqual({
      status: 200, body: { statusCode: 200, data: { successful_apply: ['fa-settings'], failed_to_apply: [], materialized: ['fa-settings'] }, error: null },
    });
  });

  let brokenPatch = 0;
  it('patches/apply and DELETE patches/{version}: 500 naming the object', async () => {
    const patch = '# target: deployment-broken\napiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n';
    expect(await answer(await post('/patches/apply', new URLSearchParams({ patch, description: 'more replicas' }).toString()))).toEqual(failure([], ['deployment-broken']));
    const patches = (await (await call('/patches/deployment-broken/list')).json()).data.patches as Array<{ version: number; description: string }>;
    brokenPatch = patches.find((p) => p.description === 'more replicas')!.version;
    expect(await answer(await call(`/patches/${brokenPatch}`, { method: 'DELETE' }))).toEqual(failure([], ['deployment-broken']));
  });

  it('base_configs/image: 500 naming the object', async () => {
    const body = 'image=gcr.io/instabase-public/app:2.0&object=deployment-broken-too&comment=app-update';
    expect(await answer(await post('/base_configs/image', body))).toEqual(failure([], ['deployment-broken-too']));
  });

  it('patches/namespace and patches/registry: 500 naming every object that failed', async () => {
    expect(await answer(await post('/patches/namespace', JSON.stringify({ namespace: 'instabase' })))).toEqual(failure(['fa-settings'], ['deployment-broken', 'deployment-broken-too']));
    expect(await answer(await post('/patches/registry', JSON.stringify({ registry: 'registry.example.com/ib' })))).toEqual(failure([], ['deployment-broken', 'deployment-broken-too']));
  });

  it('deployment/update keeps the document\'s example: 200, the reasons in failed_to_apply, error null', async () => {
    const pushed = await answer(await call('/deployment/update', { method: 'POST' }));
    expect(pushed).toMatchObject({ status: 200, body: { statusCode: 200, data: { successful_apply: ['fa-settings'] }, error: null } });
    expect(Object.keys(pushed.body.data.failed_to_apply).sort()).toEqual(['deployment-broken', 'deployment-broken-too']);
  });
});
