import { applyObject, type KubeClient, type KubeObject, type KubeResult } from '@slipway/kube';
import { SCALER } from './workloads';

/**
 * Server-side apply of a pushed config as `slipway`. Replicas that hibernate or revive set
 * may be held by Slipway's own scaler afterwards; once the cluster is awake the config owns
 * them again, so a conflict over fields only the scaler holds is taken over (force). A
 * field another manager holds stays a conflict the push reports.
 */
export async function applyConfig(client: KubeClient, manifest: KubeObject): Promise<KubeResult<KubeObject>> {
  const applied = await applyObject(client, manifest);
  if (applied.ok || applied.error.kind !== 'conflict') return applied;
  const { conflicts } = applied.error;
  if (conflicts.length === 0 || conflicts.some((conflict) => conflict.manager !== SCALER)) return applied;
  return applyObject(client, manifest, { force: true });
}
