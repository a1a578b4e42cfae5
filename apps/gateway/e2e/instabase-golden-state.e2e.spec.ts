import { eventually } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { apiServer, brokenDeployment, callInstabase, form } from './instabase-fixtures';

/** The API server refuses it, so it never becomes golden. */
const BROKEN = brokenDeployment('1.0');

/**
 * `state` of base configs and patches against a real control plane: IS_GOLDEN once the
 * cluster runs a config made from them (what the deployer applied), NOT_GOLDEN otherwise.
 */
describe('Instabase golden state of base configs and patches', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const post = (path: string, fields: Record<string, string>) => call(path, { method: 'POST', headers: form, body: new URLSearchParams(fields).toString() });

  /** `object@version` → state, for every base config. */
  async function baseStates(): Promise<Record<string, string>> {
    const body = await (await call('/base_configs')).json();
    return Object.fromEntries(body.data.baseConfigs.map((b: { object_name: string; version: string; state: string }) => [`${b.object_name}@${b.version}`, b.state]));
  }
  /** target → state, for every patch a listing answers. */
  const statesOf = (patches: Array<{ target: string; state: string }>) => Object.fromEntries(patches.map((p) => [p.target, p.state]));

  beforeAll(async () => {
    kube = await createTestNamespace('golden');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
  });
  afterAll(async () => {
    await stack.stop();
    await kube.dispose();
  });

  it('marks the base release the cluster runs, and moves to a newer release once it is pushed', async () => {
    const first = await post('/base_configs', { release_version: '23.07.0', base_config: `${apiServer('23.07.0')}---\n${BROKEN}` });
    expect((await first.json()).data).toMatchObject({ successful_apply: ['deployment-api-server'], failed_to_apply: ['deployment-broken'] });
    const push = await (await call('/deployment/update/deployment-api-server', { method: 'POST' })).json();
    expect(push.data.successful_apply).toEqual(['deployment-api-server']);
    await eventually(async () => expect(await baseStates()).toEqual({
      'deployment-api-server@23.07.0': 'IS_GOLDEN', 'deployment-broken@23.07.0': 'NOT_GOLDEN',
    }));

    // The upload of the next release pushes what it changed: the cluster now runs 23.08.0.
    const second = await post('/base_configs', { release_version: '23.08.0', base_config: apiServer('23.08.0') });
    expect((await second.json()).data.successful_apply).toEqual(['deployment-api-server']);
    await eventually(async () => expect(await baseStates()).toEqual({
      'deployment-api-server@23.07.0': 'NOT_GOLDEN', 'deployment-api-server@23.08.0': 'IS_GOLDEN', 'deployment-broken@23.07.0': 'NOT_GOLDEN',
    }));
  });

  it('marks a pushed patch, and not one whose only object never reached the cluster', async () => {
    expect((await post('/resource_labels/binding', { label: 'canary', object_name: 'deployment-broken' })).status).toBe(200);
    const canary = await post('/patches/apply', { patch: '# target: canary\nmetadata:\n  labels:\n    track: canary', description: 'canary track' });
    expect(canary.status).toBe(500);
    expect((await canary.json()).data.failed_to_apply).toEqual(['deployment-broken']);
    // Applied after the canary patch: a golden config with a later patch version, of an object the canary patch does not reach.
    const scaled = await post('/patches/apply', { patch: '# target: deployment-api-server\nspec:\n  replicas: 2', description: 'scale api-server' });
    expect((await scaled.json()).data.successful_apply).toEqual(['deployment-api-server']);

    const expected = { canary: 'NOT_GOLDEN', 'deployment-api-server': 'IS_GOLDEN' };
    await eventually(async () => expect(statesOf((await (await call('/patches')).json()).data.patches)).toEqual(expected));
    expect(statesOf((await (await call('/patches/deployment-api-server')).json()).data.patches)).toEqual({ 'deployment-api-server': 'IS_GOLDEN' });
    expect(statesOf((await (await call('/patches/deployment-broken')).json()).data.patches)).toEqual({ canary: 'NOT_GOLDEN' });
    const found = await (await call('/patches/search?query=track%3A&caseSensitive=false&limit=10')).json();
    expect(statesOf(found.patches)).toEqual({ canary: 'NOT_GOLDEN' });
    const scaledFound = await (await call('/patches/search?query=replicas&caseSensitive=false&limit=10')).json();
    expect(statesOf(scaledFound.patches)).toEqual({ 'deployment-api-server': 'IS_GOLDEN' });
  });
});
