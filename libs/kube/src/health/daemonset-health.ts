import { healthy, progressing, specNotObserved, type Health } from './health-status';

export interface DaemonSetLike {
  metadata?: { generation?: number };
  spec?: { updateStrategy?: { type?: string } };
  status?: {
    observedGeneration?: number;
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberMisscheduled?: number;
  };
}

/** A DaemonSet is Healthy when every node that should run it runs an updated, ready pod. */
export function daemonSetHealth(daemonSet: DaemonSetLike): Health {
  const { spec, status } = daemonSet;
  if (specNotObserved(daemonSet.metadata, status)) return progressing('Waiting for daemon set spec update to be observed...');
  const desired = status?.desiredNumberScheduled ?? 0;
  if (spec?.updateStrategy?.type === 'OnDelete') return healthy(`daemon set ${status?.numberReady ?? 0} of ${desired} pods are ready`);
  const updated = status?.updatedNumberScheduled ?? 0;
  if (updated < desired) return progressing(`Waiting for daemon set rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
  const ready = status?.numberReady ?? 0;
  if (ready < desired) return progressing(`Waiting for daemon set rollout to finish: ${ready} of ${desired} updated pods are ready...`);
  const available = status?.numberAvailable ?? 0;
  if (available < desired) return progressing(`Waiting for daemon set rollout to finish: ${available} of ${desired} updated pods are available...`);
  return healthy();
}
