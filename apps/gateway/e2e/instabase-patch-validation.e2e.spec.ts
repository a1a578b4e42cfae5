import { getObject, unwrap, type KubeObject } from '@slipway/kube';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type LooseResponse, type Stack } from './stack';
import { apiServer, callInstabase, form, NOTHING_APPLIED } from './instabase-fixtures';

/**
 * A patch that leaves an integer field the API server cannot store as given is refused
 * with 400 naming the field, and nothing is stored: an out-of-range replicas count used to
 * wrap to 0 in the cluster and answer success, and a string or a fraction was stored and
 * then failed every later push of the object.
 */
describe('Instabase patches with values Kubernetes cannot store', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const post = (path: string, body: string) => call(path, { method: 'POST', body, headers: form });
  const answer = async (response: LooseResponse) => ({ status: response.status, body: await response.json() });
  const replicasPatch = (value: string) => `# target: deployment-api-server\napiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: ${value}\n`;
  const livePatches = async () => (await (await call('/patches/deployment-api-server/list')).json()).data.patches as unknown[];
  const liveReplicas = async () => unwrap(await getObject<KubeObject & { spec: { replicas: number } }>(kube.client,
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'deployment-api-server', namespace: kube.namespace } })).spec.replicas;

  beforeAll(async () => {
    kube = await createTestNamespace('ibint');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    const upload = await post('/base_configs', new URLSearchParams({ release_version: '23.07.0', base_config: apiServer('23.07.0', 3) }).toString());
    expect(upload.status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it.each(['4294967296', '99999999999999999999999999', '"three"', '2.5', '-1'])('replicas: %s is refused with 400 naming the field; nothing is stored or pushed', async (value) => {
    const before = await livePatches();
    expect(await answer(await post('/patches/apply', new URLSearchParams({ patch: replicasPatch(value) }).toString()))).toEqual({
      status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: expect.stringMatching(/^patch does not apply to "deployment-api-server": spec\.replicas must be an integer from 0 to 2147483647, got /) },
    });
    expect(await livePatches()).toEqual(before);
    expect(await liveReplicas()).toBe(3);
  });

  it('a dry run of such a patch is refused the same way', async () => {
    const dryRun = await answer(await post('/patches/apply', new URLSearchParams({ patch: replicasPatch('4294967296'), dry_run: 'true' }).toString()));
    expect(dryRun).toMatchObject({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: expect.stringContaining('spec.replicas') } });
  });

  it('later pushes of the object still succeed, and an in-range value applies', async () => {
    const pushed = await answer(await call('/deployment/update', { method: 'POST' }));
    expect(pushed).toMatchObject({ status: 200, body: { data: { successful_apply: ['deployment-api-server'] }, error: null } });
    expect(pushed.body.data.failed_to_apply ?? {}).toEqual({});
    expect(await answer(await post('/patches/apply', new URLSearchParams({ patch: replicasPatch('2147483647') }).toString()))).toMatchObject({ status: 200 });
  });
});
