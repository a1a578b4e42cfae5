import { getObject, unwrap, type KubeObject } from '@slipway/kube';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { callInstabase, form, workloadYaml } from './instabase-fixtures';

/**
 * A workload's pods read their ConfigMaps and Secrets when they start: a push that changes
 * one rolls the workloads that read it (and only those), as Helm's checksum annotation does.
 */
const READER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: registry.example/web:1
        envFrom:
        - configMapRef: { name: web-settings }
      volumes:
      - name: credentials
        secret: { secretName: web-credentials }
`;

const BASE = [
  READER,
  workloadYaml({ name: 'worker', app: 'worker', image: 'registry.example/worker:1', replicas: 1 }),
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\ndata:\n  LOG_LEVEL: INFO\n',
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-credentials\nstringData:\n  password: first-password-value\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unread\ndata:\n  A: "1"\n',
].join('---\n');

type Workload = KubeObject & { metadata: { generation: number }; spec: { template: { metadata: { annotations?: Record<string, string> } } } };

describe('Instabase pushes roll the workloads whose configs changed', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const workload = async (name: string) =>
    unwrap(await getObject<Workload>(kube.client, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: kube.namespace } }));
  const digestOf = async (name: string) => (await workload(name)).spec.template.metadata.annotations?.['slipway.io/config-digest'];
  const patch = async (text: string): Promise<string[]> => {
    const response = await call('/patches/apply', { method: 'POST', headers: form, body: new URLSearchParams({ patch: text }).toString() });
    expect(response.status).toBe(200);
    return ((await response.json()).data.successful_apply as string[]).sort();
  };

  beforeAll(async () => {
    kube = await createTestNamespace('roll');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '1.0', base_config: BASE }).toString() });
    expect(upload.status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('stamps the configs with their data\'s digest, and the pod template of a workload that reads configs Slipway applied, and no other', async () => {
    const settings = unwrap(await getObject(kube.client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-settings', namespace: kube.namespace } }));
    expect(settings.metadata.annotations?.['slipway.io/data-digest']).toMatch(/^[0-9a-f]{32}$/);
    expect(await digestOf('web')).toMatch(/^[0-9a-f]{32}$/);
    expect(await digestOf('worker')).toBeUndefined();
  });

  it('a changed ConfigMap rolls its reader, pushed with it, and leaves the others alone', async () => {
    const [web, worker] = [await workload('web'), await workload('worker')];
    expect(await patch('# target: web-settings\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: DEBUG\n')).toEqual(['web', 'web-settings']);
    const rolled = await workload('web');
    expect(rolled.spec.template.metadata.annotations?.['slipway.io/config-digest']).not.toBe(web.spec.template.metadata.annotations?.['slipway.io/config-digest']);
    expect(rolled.metadata.generation).toBe(web.metadata.generation + 1);
    expect((await workload('worker')).metadata.generation).toBe(worker.metadata.generation);
  });

  it('a change of a config that is not what pods read (a label) rolls nothing', async () => {
    const before = await workload('web');
    expect(await patch('# target: web-settings\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    team: web\n')).toEqual(['web-settings']);
    expect((await workload('web')).metadata.generation).toBe(before.metadata.generation);
  });

  it('a changed Secret rolls its reader; the digest tells nothing of the value', async () => {
    const before = await digestOf('web');
    expect(await patch('# target: web-credentials\napiVersion: v1\nkind: Secret\nstringData:\n  password: second-password-value\n')).toEqual(['web', 'web-credentials']);
    const after = await digestOf('web');
    expect(after).not.toBe(before);
    expect(JSON.stringify(await workload('web'))).not.toContain('second-password-value');
  });

  it('a push of everything with nothing changed rolls nothing', async () => {
    const before = await workload('web');
    const pushed = await call('/deployment/update', { method: 'POST' });
    expect(pushed.status).toBe(200);
    const after = await workload('web');
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec.template.metadata.annotations).toEqual(before.spec.template.metadata.annotations);
  });

  it('drift does not count the stamp: the workloads are consistent with their golden configs', async () => {
    const report = await (await call('/configs/k8s-inconsistencies', { method: 'POST' })).json();
    expect(report.numInconsistencies).toBe(0);
    expect(report.consistentResources).toEqual(expect.arrayContaining(['web', 'worker', 'web-settings', 'web-credentials']));
  });

  it('a reader whose release was uploaded again with a change the API server refused is left for its own push', async () => {
    // The same release and patch version, a changed selector: the upload's push of web fails.
    const changed = BASE.replace('matchLabels: { app: web }', 'matchLabels: { app: web, cut: second }').replace('labels: { app: web }', 'labels: { app: web, cut: second }');
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '1.0', base_config: changed }).toString() });
    expect((await upload.json()).data).toMatchObject({ successful_apply: [], failed_to_apply: ['web'] });
    expect((await (await call('/configs/web')).json()).state).toBe('NOT_GOLDEN');
    const before = await workload('web');
    expect(await patch('# target: web-settings\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: DEBUG\n')).toEqual(['web-settings']);
    expect((await workload('web')).metadata.generation).toBe(before.metadata.generation);
  });

  it('a reader whose own config has changes not pushed (its last push failed) is left for its own push', async () => {
    // a patch of web the API server refuses (a Deployment's selector cannot change): web is not golden any more
    const refused = await call('/patches/apply', {
      method: 'POST', headers: form,
      body: new URLSearchParams({ patch: '# target: web\napiVersion: apps/v1\nkind: Deployment\nspec:\n  selector:\n    matchLabels: { app: web, tier: front }\n  template:\n    metadata:\n      labels: { tier: front }\n' }).toString(),
    });
    expect(refused.status).toBe(500);
    const before = await workload('web');
    expect(await patch('# target: web-settings\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: WARN\n')).toEqual(['web-settings']);
    expect((await workload('web')).metadata.generation).toBe(before.metadata.generation);
  });
});
