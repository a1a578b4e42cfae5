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

/** What the API server stores in a workload's `spec.replicas`: an int32, validated not negative. */
const INT32_MAX = 2 ** 31 - 1;
const isReplicaCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= INT32_MAX;

const replicasOf = (manifest: Manifest): unknown => (manifest.spec as { replicas?: unknown } | undefined)?.replicas;

const statedReplicas = (manifest: Manifest): number | undefined => {
  const replicas = replicasOf(manifest);
  return isReplicaCount(replicas) ? replicas : undefined;
};

/**
 * Why the API server would refuse the replicas a workload's config states, if it would.
 * While hibernated the push sends 0 in their place, so the API server never sees them:
 * without this check they would be what revive restores (-1, 1.5, or Infinity, which JSON
 * turns into null), and revive would be refused then, or scale to something unintended.
 */
export function replicasRefusal(manifest: Manifest): string | undefined {
  if (!workloadKey(manifest)) return undefined;
  const replicas = replicasOf(manifest);
  if (replicas === undefined || replicas === null || isReplicaCount(replicas)) return undefined;
  // A number as the API server quotes it; anything else by its type only: a value of the
  // wrong type is not quoted back (it may hold anything, a secret pasted in the wrong place).
  const shown = typeof replicas === 'number' ? String(replicas) : `a ${Array.isArray(replicas) ? 'list' : typeof replicas === 'object' ? 'map' : typeof replicas}`;
  return `spec.replicas: Invalid value: ${shown}: must be a whole number from 0 to ${INT32_MAX} (not applied: while hibernated it is sent as 0, and revive would restore it)`;
}

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
