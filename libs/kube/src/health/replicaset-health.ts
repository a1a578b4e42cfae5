import { degraded, findCondition, healthy, progressing, specNotObserved, type Condition, type Health } from './health-status';

export interface ReplicaSetLike {
  metadata?: { generation?: number };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; availableReplicas?: number; conditions?: Condition[] };
}

/** A ReplicaSet that cannot create pods (quota, admission) reports ReplicaFailure. */
export function replicaSetHealth(replicaSet: ReplicaSetLike): Health {
  const { spec, status } = replicaSet;
  if (specNotObserved(replicaSet.metadata, status)) return progressing('Waiting for rollout to finish: observed replica set generation less than desired generation');
  const failure = findCondition(status?.conditions, 'ReplicaFailure');
  if (failure?.status === 'True') return degraded(failure.message ?? 'ReplicaSet cannot create pods');
  const desired = spec?.replicas ?? 1;
  const available = status?.availableReplicas ?? 0;
  if (available < desired) return progressing(`Waiting for rollout to finish: ${available} out of ${desired} replicas are available...`);
  return healthy();
}
