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
import { requireLive } from './live-object';

const DEPLOY = resolve(__dirname, '../../../../deploy');

/**
 * deploy/kubernetes and deploy/apps-namespace as an overlay that only changes their
 * namespaces would render them: Slipway in `namespace`, what it deploys in `<namespace>-apps`
 * (the RoleBinding's subject and SLIPWAY_KUBE_NAMESPACE changed to match).
 */
function render(namespace: string): KubeObject[] {
  const kustomize = findKustomize();
  if (!kustomize) throw new Error('no kustomize binary: it is built with the control plane (tools/kube-testenv)');
  const overlay = mkdtempSync(join(tmpdir(), 'slipway-overlay-'));
  const apps = `${namespace}-apps`;
  try {
    mkdirSync(join(overlay, 'slipway'));
    mkdirSync(join(overlay, 'apps'));
    const appsNamespace = (deployment: string) => `  - target: {kind: Deployment, name: ${deployment}}\n    patch: |-\n`
      + `      - {op: test, path: /spec/template/spec/containers/0/env/4/name, value: SLIPWAY_KUBE_NAMESPACE}\n`
      + `      - {op: replace, path: /spec/template/spec/containers/0/env/4/value, value: ${apps}}\n`;
    writeFileSync(join(overlay, 'slipway', 'kustomization.yaml'), `namespace: ${namespace}\nresources:\n  - ${relative(join(overlay, 'slipway'), join(DEPLOY, 'kubernetes'))}\n`
      + `patches:\n${appsNamespace('deployer')}${appsNamespace('telemetry')}`);
    writeFileSync(join(overlay, 'apps', 'kustomization.yaml'), `namespace: ${apps}\nresources:\n  - ${relative(join(overlay, 'apps'), join(DEPLOY, 'apps-namespace'))}\n`
      + `patches:\n  - target: {kind: RoleBinding, name: slipway}\n    patch: |-\n      - {op: replace, path: /subjects/0/namespace, value: ${namespace}}\n`);
    writeFileSync(join(overlay, 'kustomization.yaml'), 'resources:\n  - apps\n  - slipway\n');
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
  const apps = () => `${ns.namespace}-apps`;
  let rendered: KubeObject[] | undefined;
  const objects = () => (rendered ??= render(ns.namespace));

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
    if (ns) await deleteObject(ns.client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: apps() } });
    await ns?.dispose();
  });

  it('installs, admitted as restricted, and the Deployments roll out', async () => {
    // given the secret the README asks for
    unwrap(await applyObject(ns.client, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'slipway', namespace: ns.namespace },
      stringData: { 'admin-token': 'install-test-admin', 'postgres-password': 'install-test-pg' },
    }));
    // when every rendered object is applied (server-side, strict field validation)
    const names = (namespace: string | undefined) => objects().filter((o) => o.metadata.namespace === namespace).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(ns.namespace)).toEqual([
      'ConfigMap/nats', 'Deployment/config-store', 'Deployment/deployer', 'Deployment/gateway', 'Deployment/telemetry',
      'NetworkPolicy/nats', 'NetworkPolicy/postgres',
      'Service/gateway', 'Service/nats', 'Service/postgres', 'ServiceAccount/slipway',
      'StatefulSet/nats', 'StatefulSet/postgres',
    ]);
    // what Slipway deploys has a namespace of its own, where its service account has its rights
    expect(names(apps())).toEqual(['Role/slipway', 'RoleBinding/slipway']);
    expect(names(undefined)).toEqual([`Namespace/${apps()}`]);
    for (const object of objects()) unwrap(await applyObject(ns.client, object));

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

  it('gives the deployer, through its pod\'s service account, the namespace it deploys to and nothing else', async () => {
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

    // when the deployer resolves its cluster as a pod does, with the manifests' settings
    const deployer = objects().find((o) => o.kind === 'Deployment' && o.metadata.name === 'deployer') as { spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } } };
    const env = Object.fromEntries(deployer.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ SLIPWAY_KUBE_IN_CLUSTER: 'true', SLIPWAY_KUBE_NAMESPACE: apps() });
    // (its own namespace is refused: a hibernation there would scale Slipway itself to 0)
    expect(() => clusterOf({ inCluster: true, serviceAccountRoot: podRoot })).toThrow(`SLIPWAY_KUBE_NAMESPACE must name the namespace Slipway deploys to, not the one it runs in ("${ns.namespace}")`);
    expect(() => clusterOf({ inCluster: true, serviceAccountRoot: podRoot, namespace: ns.namespace })).toThrow('not the one it runs in');
    const found = clusterOf({ inCluster: true, serviceAccountRoot: podRoot, namespace: env.SLIPWAY_KUBE_NAMESPACE })!;
    expect(found.namespace).toBe(apps());
    const client = kubeClientFor(found.kube);
    try {
      // then it applies in that namespace (what a push does), reads pods there (telemetry) ...
      const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pushed', namespace: apps() }, data: { a: 'b' } };
      expect(unwrap(await applyObject(client, configMap)).metadata.uid).toBeTruthy();
      expect(unwrap(await listObjects(client, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: apps() } })).items).toEqual([]);
      unwrap(await deleteObject(client, configMap));
      // ... and is refused anywhere else, Slipway's own namespace (its Secret, its pods) first
      for (const elsewhere of [ns.namespace, 'default']) {
        expect(await applyObject(client, { ...configMap, metadata: { name: 'pushed', namespace: elsewhere } })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      }
      expect(await listObjects(client, { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: ns.namespace } })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      // A cluster operation's read so refused is its final answer, not "retry shortly": RBAC refuses it again.
      const refused = await requireLive(client, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-0', namespace: 'default' } }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'unavailable', final: true, message: expect.stringMatching(/^could not read Pod "api-0": .*forbidden/) });
    } finally {
      await client.close();
    }
    // and without a pod's environment, asking for in-cluster access fails loudly
    delete process.env.KUBERNETES_SERVICE_HOST;
    expect(() => clusterOf({ inCluster: true, serviceAccountRoot: podRoot })).toThrow(/not a pod/);
  });
});
