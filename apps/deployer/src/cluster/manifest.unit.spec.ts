import type { KubeObject } from '@slipway/kube';
import { manifestOf, podRevisionKept } from './manifest';
import { digestWith, withSecretsDigested } from './secret-digests';

const view = (config: string) => ({ objectName: 'o', releaseVersion: '1.0', patchVersion: 3, config }) as Parameters<typeof manifestOf>[0];

describe('the manifest of a materialized config', () => {
  it('places a namespaced object in the deployer\'s namespace, whatever its config names', () => {
    const built = manifestOf(view('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: elsewhere\n'), 'apps');
    expect(built).toMatchObject({ ok: true, manifest: { metadata: { name: 'settings', namespace: 'apps', labels: { 'slipway.io/revision': '1.0-3' } } } });
  });

  it('sends none of what the API server keeps of an object it made, as a config copied from kubectl get holds it (probe: its resourceVersion made every later push a conflict)', () => {
    const exported = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  resourceVersion: "12"\n  uid: 0b6c4a3e-1111-2222-3333-444455556666\n  creationTimestamp: "2026-12-01T00:00:00Z"\n  generation: 2\n  selfLink: /api/v1/namespaces/x/configmaps/settings\n  managedFields: [{manager: kubectl}]\n  annotations: {a: b}\ndata: {k: v}\n';
    const built = manifestOf(view(exported), 'apps');
    expect(built.ok && Object.keys(built.manifest.metadata).sort()).toEqual(['annotations', 'labels', 'name', 'namespace']);
  });

  it('sends no status of a built-in kind, nor the annotations its controller or kubectl write (probe: a copied Deployment was drift for good, and each push made a generation)', () => {
    const exported = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  deletionTimestamp: "2026-12-01T00:00:00Z"', '  deletionGracePeriodSeconds: 0',
      '  annotations: {deployment.kubernetes.io/revision: "3", kubectl.kubernetes.io/last-applied-configuration: "{}", team: web}',
      'spec: {replicas: 1}', 'status: {observedGeneration: 7, replicas: 1}', '',
    ].join('\n');
    const built = manifestOf(view(exported), 'apps');
    expect(built.ok && built.manifest).toMatchObject({ metadata: { annotations: { team: 'web' } }, spec: { replicas: 1 } });
    expect(built.ok && [Object.keys(built.manifest).sort(), Object.keys(built.manifest.metadata).sort(), built.manifest.metadata.annotations]).toEqual([
      ['apiVersion', 'kind', 'metadata', 'spec'], ['annotations', 'labels', 'name', 'namespace'], { team: 'web' },
    ]);
    // a custom kind stores what it is sent, its status too (no status subresource): sent as written
    const custom = manifestOf(view('apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nstatus: {phase: Ready}\n'), 'apps');
    expect(custom.ok && custom.manifest).toMatchObject({ status: { phase: 'Ready' } });
  });

  it('sends a Secret\'s stringData folded into data, its keys winning, so the apply owns the keys stored (probe: a key left out later stayed); a value that is no string as written', () => {
    const built = manifestOf(view('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData: {a: "é", b: two}\ndata: {b: b2xk, c: Yw==}\n'), 'apps');
    expect(built.ok && built.manifest).toMatchObject({ data: { a: 'w6k=', b: 'dHdv', c: 'Yw==' } });
    expect(built.ok && built.manifest).not.toHaveProperty('stringData');
    // an entry left empty (null), which the config-store takes, is stored as "" (review: it turned the fold off)
    const unset = manifestOf(view('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData: {a: x, b: }\n'), 'apps');
    expect(unset.ok && [unset.manifest, Object.keys(unset.manifest)]).toMatchObject([{ data: { a: 'eA==', b: '' } }, expect.not.arrayContaining(['stringData'])]);
    const odd = manifestOf(view('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData: {a: 1}\n'), 'apps');
    expect(odd.ok && odd.manifest).toMatchObject({ stringData: { a: 1 } });
    const configMap = manifestOf(view('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\nstringData: {a: b}\n'), 'apps');
    expect(configMap.ok && configMap.manifest).toMatchObject({ stringData: { a: 'b' } });
  });

  it('gives a cluster-scoped object no namespace (the API server keeps none, so drift would report it for ever)', () => {
    const built = manifestOf(view('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: elsewhere\nrules: []\n'), 'apps');
    expect(built.ok).toBe(true);
    expect(built.ok && built.manifest.metadata).not.toHaveProperty('namespace');
    expect(built.ok && built.manifest.metadata.name).toBe('reader');
  });

  it('gives the other built-in cluster-scoped kinds no namespace either (a RuntimeClass, an admission policy, a flow schema)', () => {
    for (const [apiVersion, kind] of [['node.k8s.io/v1', 'RuntimeClass'], ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy'], ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema']]) {
      const built = manifestOf(view(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n  namespace: elsewhere\n`), 'apps');
      expect(built.ok && built.manifest.metadata).not.toHaveProperty('namespace');
    }
  });

  it('places a custom resource that shares a built-in cluster-scoped kind in the namespace (probe: Cluster API\'s IPAddress went to the kubeconfig\'s)', () => {
    const custom = manifestOf(view('apiVersion: ipam.cluster.x-k8s.io/v1beta1\nkind: IPAddress\nmetadata:\n  name: ip-1\n'), 'apps');
    expect(custom.ok && custom.manifest.metadata.namespace).toBe('apps');
    const builtin = manifestOf(view('apiVersion: networking.k8s.io/v1\nkind: IPAddress\nmetadata:\n  name: 10.0.0.1\n'), 'apps');
    expect(builtin.ok && builtin.manifest.metadata).not.toHaveProperty('namespace');
    const core = manifestOf(view('apiVersion: example.com/v1\nkind: Namespace\nmetadata:\n  name: tenant\n'), 'apps');
    expect(core.ok && core.manifest.metadata.namespace).toBe('apps');
  });

  describe('a workload\'s pod template, compared as recorded (secrets digested)', () => {
    const digest = digestWith('a-test-key');
    const deployment = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: ${image}
          env:
            - name: API_KEY
              value: key-123
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: db, key: password }
`;
    const at = (patchVersion: number, config: string) => ({ objectName: 'api', releaseVersion: '1.0', patchVersion, config }) as Parameters<typeof manifestOf>[0];
    const built = (config: ReturnType<typeof manifestOf>) => {
      if (!config.ok) throw new Error(config.reason);
      return config.manifest;
    };
    const recorded = async (manifest: KubeObject) => (await withSecretsDigested(manifest, digest)) as KubeObject;
    const podLabels = (manifest: KubeObject) => (manifest.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    let applied: KubeObject;
    beforeAll(async () => {
      applied = await recorded(built(manifestOf(at(3, deployment('api:1', 2)), 'apps')));
    });

    it('keeps the revision it was applied with while only the rest changed (no rollout of its pods)', async () => {
      const kept = podRevisionKept(await recorded(built(manifestOf(at(5, deployment('api:1', 4)), 'apps'))), applied);
      expect(kept).toEqual({ revision: '1.0-3', rolloutId: '1.0-3' });
      const next = built(manifestOf(at(5, deployment('api:1', 4)), 'apps', kept));
      expect(next.metadata.labels?.['slipway.io/revision']).toBe('1.0-5');
      expect(podLabels(next)).toMatchObject({ app: 'api', 'slipway.io/revision': '1.0-3', 'slipway.io/rollout-id': '1.0-3' });
    });

    it('keeps none when the pod template changed (the pods roll, as they must), or when nothing was applied', async () => {
      expect(podRevisionKept(await recorded(built(manifestOf(at(5, deployment('api:2', 2)), 'apps'))), applied)).toBeUndefined();
      expect(podRevisionKept(await recorded(built(manifestOf(at(5, deployment('api:1', 2)), 'apps'))), undefined)).toBeUndefined();
      expect(podLabels(built(manifestOf(at(5, deployment('api:1', 2)), 'apps')))).toMatchObject({ 'slipway.io/revision': '1.0-5' });
    });
  });
});
