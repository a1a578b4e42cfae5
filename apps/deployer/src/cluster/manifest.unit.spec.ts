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
});
