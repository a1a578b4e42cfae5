import type { ClusterState } from './cluster.decider';
import { asSentWhileHibernated } from './hibernation';

type Manifest = Record<string, unknown>;

/** What the intended state depends on besides the golden config: the operations recorded since. */
export type RecordedOperations = Pick<ClusterState, 'hibernated' | 'pausedAutoscalers' | 'pushedSincePause' | 'deletedSincePush'>;

/** `Kind/name` of a manifest: how deletions are keyed. */
export const objectKey = (manifest: Manifest): string =>
  `${String(manifest.kind)}/${String((manifest.metadata as { name?: unknown } | undefined)?.name)}`;

/** The name a pause keys a HorizontalPodAutoscaler by, for one of any `autoscaling/*` version. */
export function autoscalerName(manifest: Manifest): string | undefined {
  const { apiVersion, kind, metadata } = manifest as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  if (kind !== 'HorizontalPodAutoscaler' || typeof apiVersion !== 'string' || !apiVersion.startsWith('autoscaling/')) return undefined;
  return typeof metadata?.name === 'string' ? metadata.name : undefined;
}

/**
 * What Slipway intends an object it applied to be now: its golden config, changed by what
 * Slipway itself did to it since, so that drift (like `kubectl diff` against the intended
 * state, or Argo CD ignoring its own hooks) reports only what someone else changed.
 *
 * - Hibernated: a Deployment or StatefulSet at 0 replicas, as a push would send it now (the
 *   golden config keeps the config's replicas, for revive).
 * - Autoscaling paused: a paused autoscaler is meant to be absent (`undefined`), unless a push
 *   re-created it since the pause: then its pushed spec stands, as resume leaves it.
 * - Deleted through Slipway (a job or a pod): meant absent until a push creates it again.
 */
export function intendedManifest(golden: Manifest, operations: RecordedOperations): Manifest | undefined {
  if (operations.deletedSincePush.includes(objectKey(golden))) return undefined;
  const autoscaler = autoscalerName(golden);
  if (autoscaler !== undefined && autoscaler in operations.pausedAutoscalers && !operations.pushedSincePause.includes(autoscaler)) return undefined;
  return operations.hibernated ? asSentWhileHibernated(golden) : golden;
}
