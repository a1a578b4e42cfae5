import { degraded, healthy, progressing, suspended, type Condition, type Health } from './health-status';

export interface HorizontalPodAutoscalerLike {
  status?: { conditions?: Condition[] };
}

/**
 * An autoscaler that cannot read its target's scale or its metrics (a condition False with a
 * `Failed…` or `Invalid…` reason) is Degraded, as Argo CD has it; one switched off because
 * its target is scaled to zero is Suspended; able to scale and scaling, Healthy; with no
 * conditions yet, Progressing.
 */
export function horizontalPodAutoscalerHealth(autoscaler: HorizontalPodAutoscalerLike): Health {
  const conditions = autoscaler.status?.conditions ?? [];
  const failing = conditions.find((condition) => condition.status === 'False' && /^(Failed|Invalid)/.test(condition.reason ?? ''));
  if (failing) return degraded(failing.message ?? `${failing.type}: ${failing.reason}`);
  const active = conditions.find((condition) => condition.type === 'ScalingActive');
  if (active?.status === 'False' && active.reason === 'ScalingDisabled') return suspended(active.message ?? 'scaling is disabled');
  const able = conditions.find((condition) => condition.type === 'AbleToScale');
  if (able?.status === 'True' && active?.status === 'True') return healthy(active.message);
  return progressing('waiting to autoscale');
}
