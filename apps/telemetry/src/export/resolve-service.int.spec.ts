import { randomBytes } from 'node:crypto';
import type { MaterializedView } from '@slipway/contracts';
import { createPool, migrate } from '@slipway/event-log';
import { applyObject, deleteObject, getObject, unwrap, type KubeObject } from '@slipway/kube';
import { createTestDatabase, eventually } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import type { Pool } from 'pg';
import { stringify } from 'yaml';
import { collect } from './collect';

/**
 * The API server validates the selectors of its own workloads, but not those of custom
 * resources: a service that is one, with an operator Kubernetes has not got, is noted in
 * the manifest as unknown, and the export goes on for the other services.
 */
describe('an export of a service whose pod selector cannot be used', () => {
  const group = `t${randomBytes(4).toString('hex')}.telescope.slipway.io`;
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `probes.${group}` },
    spec: {
      group, scope: 'Namespaced', names: { plural: 'probes', singular: 'probe', kind: 'Probe', listKind: 'ProbeList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
  let kube: TestNamespace;
  let pool: Pool;
  let probe: KubeObject;

  beforeAll(async () => {
    pool = createPool(await createTestDatabase().then(async (url) => { await migrate(url); return url; }));
    kube = await createTestNamespace('telescope-selector');
    unwrap(await applyObject(kube.client, crd));
    await eventually(async () => {
      const live = unwrap(await getObject<KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>(kube.client, crd));
      expect(live.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    }, 30_000, 200);
    probe = {
      apiVersion: `${group}/v1`, kind: 'Probe', metadata: { name: 'odd-probe', namespace: kube.namespace },
      spec: { selector: { matchExpressions: [{ key: 'app', operator: 'Matches', values: ['odd-.*'] }] } },
    };
    // Discovery may not list the new kind at once.
    await eventually(async () => unwrap(await applyObject(kube.client, probe)), 30_000, 200);
  });
  afterAll(async () => {
    if (kube) await deleteObject(kube.client, crd);
    await kube?.dispose();
    await pool?.end();
  });

  it('notes that service as unknown with the reason, and exports the others', async () => {
    const view: MaterializedView = {
      objectName: 'odd-probe', releaseVersion: '1.0.0', patchVersion: null, previousReleaseVersion: null, previousPatchVersion: null,
      state: 'IS_GOLDEN', config: stringify({ ...probe, metadata: { name: 'odd-probe' } }), metadata: '', timestampMS: 0,
    };
    const lookup = async (name: string) => (name === 'odd-probe' ? view : undefined);
    const request = { services: ['odd-probe', 'not-managed'], data_sources: ['LOGS' as const, 'STATS' as const], start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', label: 'l' };

    const files = await collect({ sql: pool, lookup, cluster: { client: kube.client, namespace: kube.namespace } }, request);

    expect((files['manifest.json'] as { collected: { services: unknown } }).collected.services).toEqual({
      'odd-probe': { status: 'unknown', reason: 'could not select the Probe\'s pods: unknown label selector operator "Matches"' },
      'not-managed': { status: 'not found', reason: 'the config store manages no object named "not-managed"' },
    });
    expect(Object.keys(files).sort()).toEqual(['audit-events.json', 'manifest.json', 'stats.json']);
  });
});
