import { applyObject, type KubeClient, type KubeObject, type KubeResult } from '@slipway/kube';

/**
 * Server-side apply of a pushed config as `slipway`, taking over the fields it sets from
 * whoever changed them since (`kubectl edit`, `kubectl set image`, Slipway's own scaler
 * after hibernate or revive): a push makes the cluster what the materialized configs say,
 * which is how drift is mended, as Argo CD's server-side sync forces its manifests. Fields
 * the config does not set stay with their managers.
 */
export async function applyConfig(client: KubeClient, manifest: KubeObject): Promise<KubeResult<KubeObject>> {
  return applyObject(client, manifest, { force: true });
}
