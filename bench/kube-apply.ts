import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyObject, deleteObject, kubeClientFor, loadKubeConfig, unwrap, type KubeClient, type KubeObject } from '@slipway/kube';

const OBJECTS = 100;
/** Applies in flight at once: the deployer applies a release's objects concurrently. */
const CONCURRENCY = 8;

/** The kubectl built with the local control plane (same version as its API server). */
function kubectlBinary(kubeconfig: string): string {
  const envFile = join(dirname(kubeconfig), 'env');
  const fromEnvFile = existsSync(envFile) ? readFileSync(envFile, 'utf8').match(/^KUBE_TESTENV_BIN=(.*)$/m)?.[1] : undefined;
  const goMod = readFileSync(resolve(__dirname, '..', '..', 'tools', 'kube-testenv', 'k8s', 'go.mod'), 'utf8');
  const version = goMod.match(/^\s*k8s\.io\/kubernetes (v1\.\S+)/m)?.[1] ?? '';
  const candidates = [process.env.KUBE_TESTENV_BIN, fromEnvFile, join(homedir(), '.cache', 'slipway', 'kube', version, 'bin')];
  const dir = candidates.find((candidate) => candidate && existsSync(join(candidate, 'kubectl')));
  if (!dir) throw new Error('kubectl not found: run tools/kube-testenv/build.sh');
  return join(dir, 'kubectl');
}

/** 100 objects for one namespace: ConfigMaps and Deployments (replicas 0: the apply is measured, not the rollout). */
function manifests(namespace: string): KubeObject[] {
  return Array.from({ length: OBJECTS }, (_, i): KubeObject => (i % 2 === 0
    ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace, labels: { bench: 'kube-apply' } }, data: { index: String(i), payload: 'x'.repeat(512) } }
    : {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace, labels: { bench: 'kube-apply' } },
      spec: {
        replicas: 0, selector: { matchLabels: { app: `web-${i}` } },
        template: { metadata: { labels: { app: `web-${i}` } }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', env: [{ name: 'INDEX', value: String(i) }] }] } },
      },
    }));
}

async function applyAll(client: KubeClient, objects: KubeObject[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < objects.length) unwrap(await applyObject(client, objects[next++]));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const namespaceObject = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/**
 * Server-side apply of the same 100 manifests with Slipway's port and with
 * `kubectl apply --server-side`, each into a fresh namespace, in one run. Both are warmed
 * first (discovery cached, connections open; kubectl's discovery cache filled) so the
 * figures compare applying, not first contact. ratio = slipwayMs / kubectlMs (target <= 1).
 */
export async function kubeApplyBench(kubeconfig: string): Promise<{ slipwayMs: number; kubectlMs: number; ratio: number }> {
  const client = kubeClientFor(loadKubeConfig({ kubeconfig }));
  const kubectl = kubectlBinary(kubeconfig);
  const work = mkdtempSync(join(tmpdir(), 'slipway-kube-bench-'));
  const run = `kb${Date.now().toString(36)}`;
  const spaces = { warm: `${run}-warm`, slipway: `${run}-slipway`, kubectl: `${run}-kubectl` };
  const kubectlApply = (namespace: string) => {
    const file = join(work, `${namespace}.json`);
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests(namespace) }));
    execFileSync(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'kubectl-cache'), 'apply', '--server-side', '-f', file], { stdio: 'ignore' });
  };
  try {
    for (const namespace of Object.values(spaces)) unwrap(await applyObject(client, namespaceObject(namespace)));
    await applyAll(client, manifests(spaces.warm).slice(0, 10));
    kubectlApply(spaces.warm);

    let started = performance.now();
    await applyAll(client, manifests(spaces.slipway));
    const slipwayMs = performance.now() - started;

    started = performance.now();
    kubectlApply(spaces.kubectl);
    const kubectlMs = performance.now() - started;
    return { slipwayMs, kubectlMs, ratio: slipwayMs / kubectlMs };
  } finally {
    for (const namespace of Object.values(spaces)) await deleteObject(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    await client.close();
    rmSync(work, { recursive: true, force: true });
  }
}
