import { listObjects, type KubeClient, type KubeObject } from '@slipway/kube';
import { KubeRefusal } from './kube-refusal';

const SCALABLE = ['Deployment', 'StatefulSet'] as const;

/** The field manager of hibernate and revive: the replicas they set are theirs, not the config's. */
export const SCALER = 'slipway-scaler';

/** `Kind/name` → spec.replicas of every Deployment and StatefulSet in the namespace. */
export async function workloadReplicas(client: KubeClient, namespace: string): Promise<Record<string, number>> {
  const replicas: Record<string, number> = {};
  for (const kind of SCALABLE) {
    const listed = await listObjects<KubeObject & { spec?: { replicas?: number } }>(client, { apiVersion: 'apps/v1', kind, metadata: { namespace } });
    if (!listed.ok) throw new KubeRefusal(`could not list ${kind}s in namespace "${namespace}"`, listed.error);
    for (const item of listed.value.items) replicas[`${kind}/${item.metadata.name}`] = item.spec?.replicas ?? 1;
  }
  return replicas;
}

/**
 * Sets a workload's replicas through its scale subresource (a merge patch, field manager
 * `slipway-scaler`, so the pushed config's other fields keep their owner). A workload that
 * is gone is skipped: there is nothing left to scale. `dryRun`: only ask whether the API
 * server would (authorization, admission), changing nothing.
 */
export async function scaleWorkload(client: KubeClient, namespace: string, key: string, replicas: number, dryRun = false): Promise<void> {
  const [kind, name] = key.split('/') as [string, string];
  const path = await client.http.resourcePath({ apiVersion: 'apps/v1', kind, metadata: { name, namespace } }, 'read');
  if (!path.ok) throw new KubeRefusal(`could not scale ${key}`, path.error);
  const scaled = await client.http.send({
    method: 'PATCH', path: `${path.value}/scale`, query: { fieldManager: SCALER, dryRun: dryRun ? 'All' : undefined },
    contentType: 'application/merge-patch+json', body: JSON.stringify({ spec: { replicas } }),
  });
  if (!scaled.ok && scaled.error.kind !== 'not-found') throw new KubeRefusal(`could not scale ${key} to ${replicas}`, scaled.error);
}
