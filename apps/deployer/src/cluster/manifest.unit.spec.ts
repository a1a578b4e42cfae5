import { manifestOf } from './manifest';

const view = (config: string) => ({ objectName: 'o', releaseVersion: '1.0', patchVersion: 3, config }) as Parameters<typeof manifestOf>[0];

describe('the manifest of a materialized config', () => {
  it('places a namespaced object in the deployer\'s namespace, whatever its config names', () => {
    const built = manifestOf(view('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: elsewhere\n'), 'apps');
    expect(built).toMatchObject({ ok: true, manifest: { metadata: { name: 'settings', namespace: 'apps', labels: { 'slipway.io/revision': '1.0-3' } } } });
  });

  it('gives a cluster-scoped object no namespace (the API server keeps none, so drift would report it for ever)', () => {
    const built = manifestOf(view('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: elsewhere\nrules: []\n'), 'apps');
    expect(built.ok).toBe(true);
    expect(built.ok && built.manifest.metadata).not.toHaveProperty('namespace');
    expect(built.ok && built.manifest.metadata.name).toBe('reader');
  });

  describe('a workload\'s pod template', () => {
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
`;
    const at = (patchVersion: number, config: string) => ({ objectName: 'api', releaseVersion: '1.0', patchVersion, config }) as Parameters<typeof manifestOf>[0];
    const podLabels = (built: ReturnType<typeof manifestOf>) => (built.ok ? (built.manifest.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels : {});
    const applied = manifestOf(at(3, deployment('api:1', 2)), 'apps');
    if (!applied.ok) throw new Error('not built');

    it('keeps the revision it was applied with while only the rest changed (no rollout of its pods)', () => {
      const next = manifestOf(at(5, deployment('api:1', 4)), 'apps', applied.manifest);
      expect(next.ok && next.manifest.metadata.labels?.['slipway.io/revision']).toBe('1.0-5');
      expect(podLabels(next)).toMatchObject({ app: 'api', 'slipway.io/revision': '1.0-3', 'slipway.io/rollout-id': '1.0-3' });
    });

    it('takes the new revision when the pod template changed (the pods roll, as they must)', () => {
      const next = manifestOf(at(5, deployment('api:2', 2)), 'apps', applied.manifest);
      expect(podLabels(next)).toMatchObject({ 'slipway.io/revision': '1.0-5', 'slipway.io/rollout-id': '1.0-5' });
    });

    it('takes the new revision when nothing was applied before', () => {
      expect(podLabels(manifestOf(at(5, deployment('api:1', 2)), 'apps'))).toMatchObject({ 'slipway.io/revision': '1.0-5' });
    });
  });
});
