import { degraded, findCondition, healthy, progressing, suspended, type Condition, type Health } from './health-status';

export interface HorizontalPodAutoscalerLike {
  metadata?: { annotations?: Record<string, string> };
  status?: { conditions?: Condition[] };
}

/** autoscaling/v1 keeps the conditions in an annotation, as JSON. */
function conditionsOf(autoscaler: HorizontalPodAutoscalerLike): Condition[] {
  if (autoscaler.status?.conditions) return autoscaler.status.conditions;
  try {
    const annotated: unknown = JSON.parse(autoscaler.metadata?.annotations?.['autoscaling.alpha.kubernetes.io/conditions'] ?? '[]');
    return Array.isArray(annotated) ? (annotated as Condition[]) : [];
  } catch {
    return [];
  }
}

/**
 * An autoscaler that cannot read its target's scale or its metrics (a condition False with a
 * `Failed…` or `Invalid…` reason) is Degraded, as Argo CD has it; one switched off because
 * its target is scaled to zero is Suspended; able to scale and scaling, Healthy; with no
 * conditions yet, Progressing. (autoscaling/v1 reports them in an annotation.)
 */
export function horizontalPodAutoscalerHealth(autoscaler: HorizontalPodAutoscalerLike): Health {
  const conditions = conditionsOf(autoscaler);
  const failing = conditions.find((condition) => condition.status === 'False' && /^(Failed|Invalid)/.test(condition.reason ?? ''));
  if (failing) return degraded(failing.message ?? `${failing.type}: ${failing.reason}`);
  const active = findCondition(conditions, 'ScalingActive');
  if (active?.status === 'False' && active.reason === 'ScalingDisabled') return suspended(active.message ?? 'scaling is disabled');
  const able = findCondition(conditions, 'AbleToScale');
  if (able?.status === 'True' && active?.status === 'True') return healthy(active.message);
  return progressing('waiting to autoscale');
}
