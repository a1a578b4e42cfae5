import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  applyObject, clusterOf, deleteObject, kubeClientFor, listObjects, loadKubeConfig, SERVICE_ACCOUNT_DIR, unwrap, type KubeObject,
} from '@slipway/kube';
import { eventually, findKustomize } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { parseAllDocuments } from 'yaml';

const MANIFESTS = resolve(__dirname, '../../../../deploy/kubernetes');

/** deploy/kubernetes as an overlay that only changes the namespace would render it. */
function render(namespace: string): KubeObject[] {
  const kustomize = findKustomize();
  if (!kustomize) throw new Error('no kustomize binary: it is built with the control plane (tools/kube-testenv)');
  const overlay = mkdtempSync(join(tmpdir(), 'slipway-overlay-'));
  try {
    writeFileSync(join(overlay, 'kustomization.yaml'), `namespace: ${namespace}\nresources:\n  - ${relative(overlay, MANIFESTS)}\n`);
    const rendered = execFileSync(kustomize, ['build', overlay], { encoding: 'utf8' });
    return parseAllDocuments(rendered).map((document) => document.toJSON() as KubeObject);
  } finally {
    rmSync(overlay, { recursive: true, force: true });
  }
}

/**
 * The manifests that run Slipway on Kubernetes, on the real control plane: they pass the
 * API server's strict validation and Pod Security "restricted" admission, the Deployments
 * roll out (on KWOK nodes), and the service account they give the deployer can act in its
 * namespace — found the way a pod finds it — and nowhere else.
 */
describe('deploy/kubernetes on the real control plane', () => {
  let ns: TestNamespace;
  const restoreEnv = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  let podRoot: string | undefined;

  beforeAll(async () => {
    ns = await createTestNamespace('install');
    // Pods that break the "restricted" profile are refused, so a manifest that does is seen.
    unwrap(await applyObject(ns.client, {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name: ns.namespace, labels: { 'slipway.io/test': 'true', 'pod-security.kubernetes.io/enforce': 'restricted' } },
    }));
  });
  afterAll(async () => {
    process.env.KUBERNETES_SERVICE_HOST = restoreEnv.host;
    process.env.KUBERNETES_SERVICE_PORT = restoreEnv.port;
    if (restoreEnv.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
    if (restoreEnv.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    if (podRoot) rmSync(podRoot, { recursive: true, force: true });
    await ns?.dispose();
  });

  it('installs, admitted as restricted, and the Deployments roll out', async () => {
    // given the secret the README asks for
    unwrap(await applyObject(ns.client, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'slipway', namespace: ns.namespace },
      stringData: { 'admin-token': 'install-test-admin', 'postgres-password': 'install-test-pg' },
    }));
    // when every rendered object is applied (server-side, strict field validation)
    const objects = render(ns.namespace);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/nats', 'Deployment/config-store', 'Deployment/deployer', 'Deployment/gateway', 'Deployment/telemetry',
      'NetworkPolicy/nats', 'NetworkPolicy/postgres',
      'Role/slipway', 'RoleBinding/slipway', 'Service/gateway', 'Service/nats', 'Service/postgres', 'ServiceAccount/slipway',
      'StatefulSet/nats', 'StatefulSet/postgres',
    ]);
    for (const object of objects) {
      expect(object.metadata.namespace).toBe(ns.namespace);
      unwrap(await applyObject(ns.client, object));
    }

    // then each Deployment has its replicas ready, and each StatefulSet's pod was admitted
    // (it waits for a volume: this control plane has no storage provisioner)
    const list = async (kind: string, apiVersion = 'apps/v1') =>
      unwrap(await listObjects(ns.client, { apiVersion, kind, metadata: { namespace: ns.namespace } })).items;
    await eventually(async () => {
      const deployments = await list('Deployment');
      expect(deployments.map((d) => [d.metadata.name, (d.status as { readyReplicas?: number }).readyReplicas]).sort())
        .toEqual([['config-store', 1], ['deployer', 1], ['gateway', 2], ['telemetry', 1]]);
    }, 45_000);
    await eventually(async () => {
      const pods = (await list('Pod', 'v1')).map((pod) => pod.metadata.name).sort();
      expect(pods).toEqual(expect.arrayContaining(['nats-0', 'postgres-0']));
    }, 20_000);
  });

  it('gives the deployer, through its pod\'s service account, its namespace and nothing else', async () => {
    // given the service account's token, CA and namespace where a pod has them
    const admin = loadKubeConfig();
    const token = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      name: 'slipway', namespace: ns.namespace, body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const cluster = admin.getCurrentCluster()!;
    podRoot = mkdtempSync(join(tmpdir(), 'slipway-pod-'));
    const mounted = join(podRoot, SERVICE_ACCOUNT_DIR);
    mkdirSync(mounted, { recursive: true });
    writeFileSync(join(mounted, 'token'), token.status?.token ?? '');
    writeFileSync(join(mounted, 'ca.crt'), cluster.caData ? Buffer.from(cluster.caData, 'base64') : readFileSync(cluster.caFile!));
    writeFileSync(join(mounted, 'namespace'), ns.namespace);
    const server = new URL(cluster.server);
    process.env.KUBERNETES_SERVICE_HOST = server.hostname;
    process.env.KUBERNETES_SERVICE_PORT = server.port;

    // when the deployer resolves its cluster as a pod with SLIPWAY_KUBE_IN_CLUSTER=true does
    const found = clusterOf({ inCluster: true, serviceAccountRoot: podRoot })!;
    expect(found.namespace).toBe(ns.namespace);
    const client = kubeClientFor(found.kube);
    try {
      // then it applies in its namespace (what a push does), reads pods there (telemetry) ...
      const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pushed', namespace: ns.namespace }, data: { a: 'b' } };
      expect(unwrap(await applyObject(client, configMap)).metadata.uid).toBeTruthy();
      expect(unwrap(await listObjects(client, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns.namespace } })).items.length).toBeGreaterThan(0);
      unwrap(await deleteObject(client, configMap));
      // ... and is refused anywhere else
      const elsewhere = await applyObject(client, { ...configMap, metadata: { name: 'pushed', namespace: 'default' } });
      expect(elsewhere).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    } finally {
      await client.close();
    }
    // and without a pod's environment, asking for in-cluster access fails loudly
    delete process.env.KUBERNETES_SERVICE_HOST;
    expect(() => clusterOf({ inCluster: true, serviceAccountRoot: podRoot })).toThrow(/not a pod/);
  });
});
