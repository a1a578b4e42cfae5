import { degraded, findCondition, healthy, progressing, specNotObserved, suspended, type Condition, type Health } from './health-status';

export interface DeploymentLike {
  metadata?: { generation?: number };
  spec?: { replicas?: number; paused?: boolean };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

/** Argo CD's Deployment rules, in the order kubectl rollout status applies them. */
export function deploymentHealth(deployment: DeploymentLike): Health {
  const { spec, status } = deployment;
  if (spec?.paused) return suspended('Deployment is paused');
  if (specNotObserved(deployment.metadata, status)) return progressing('Waiting for rollout to finish: observed deployment generation less than desired generation');
  const progress = findCondition(status?.conditions, 'Progressing');
  if (progress?.reason === 'ProgressDeadlineExceeded') return degraded(`Deployment "exceeded its progress deadline"${progress.message ? `: ${progress.message}` : ''}`);
  const desired = spec?.replicas ?? 1;
  const updated = status?.updatedReplicas ?? 0;
  const total = status?.replicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  if (updated < desired) return progressing(`Waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated...`);
  if (total > updated) return progressing(`Waiting for rollout to finish: ${total - updated} old replicas are pending termination...`);
  if (available < updated) return progressing(`Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`);
  return healthy();
}
