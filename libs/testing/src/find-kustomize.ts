import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Where the kustomize binary for tests and the bench is (the materializer's conformance,
 * the deploy/kubernetes manifests): `$KUSTOMIZE`, else the newest
 * `~/.cache/slipway/kube/<version>/bin/kustomize` (built next to the control plane), else
 * `kustomize` on PATH. `undefined` when none is there. Slipway itself never runs kustomize.
 */
export function findKustomize(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env.KUSTOMIZE,
    ...cachedBinaries(join(env.SLIPWAY_CACHE ?? join(homedir(), '.cache', 'slipway'), 'kube')),
    ...(env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'kustomize')),
  ];
  return candidates.find((path): path is string => path !== undefined && isExecutable(path));
}

function cachedBinaries(kubeCache: string): string[] {
  try {
    return readdirSync(kubeCache)
      .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
      .map((version) => join(kubeCache, version, 'bin', 'kustomize'));
  } catch {
    return [];
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
