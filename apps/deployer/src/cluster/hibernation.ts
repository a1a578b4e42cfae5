/**
 * How a hibernation and a push share a workload's replicas, the way an autoscaler and a
 * manifest do: while hibernated the hibernation owns them (every Deployment and
 * StatefulSet stays at 0) and the config's replicas become what revive restores.
 */

type Manifest = Record<string, unknown>;

const SCALABLE = new Set(['Deployment', 'StatefulSet']);

/** Kubernetes' default for a workload whose config states no replicas. */
const DEFAULT_REPLICAS = 1;

/** `Kind/name` as hibernation remembers it, for an apps/v1 Deployment or StatefulSet. */
export function workloadKey(manifest: Manifest): string | undefined {
  const { apiVersion, kind, metadata } = manifest as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  if (apiVersion !== 'apps/v1' || typeof kind !== 'string' || !SCALABLE.has(kind)) return undefined;
  return typeof metadata?.name === 'string' ? `${kind}/${metadata.name}` : undefined;
}

const statedReplicas = (manifest: Manifest): number | undefined => {
  const replicas = (manifest.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : undefined;
};

/**
 * What is sent for a config while hibernated: a workload at 0 replicas. Stating 0 (rather
 * than leaving replicas out) keeps it asleep whoever owns the field: leaving out a field
 * the push owns alone would reset it to the default, 1, and wake the workload.
 */
export function asSentWhileHibernated<M extends Manifest>(manifest: M): M {
  if (!workloadKey(manifest)) return manifest;
  return { ...manifest, spec: { ...(manifest.spec as Record<string, unknown>), replicas: 0 } };
}

/**
 * The replicas revive should restore after these configs were applied while hibernated,
 * where they differ from what it remembers: the replicas a config states, or, for a
 * workload the hibernation did not know (created by this push), the default.
 */
export function replicasToRemember(remembered: Record<string, number>, applied: Manifest[]): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const manifest of applied) {
    const key = workloadKey(manifest);
    if (!key) continue;
    const desired = statedReplicas(manifest) ?? (key in remembered ? undefined : DEFAULT_REPLICAS);
    if (desired !== undefined && remembered[key] !== desired) changed[key] = desired;
  }
  return changed;
}
