/**
 * Argo CD's closed health vocabulary, ordered from best to worst. An aggregate takes the
 * worst of its parts, so one Degraded pod makes a deployment Degraded.
 */
export const HEALTH_STATUSES = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'] as const;

export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface Health {
  status: HealthStatus;
  message?: string;
}

export const healthy = (message?: string): Health => (message ? { status: 'Healthy', message } : { status: 'Healthy' });
export const progressing = (message: string): Health => ({ status: 'Progressing', message });
export const degraded = (message: string): Health => ({ status: 'Degraded', message });
export const suspended = (message: string): Health => ({ status: 'Suspended', message });

const rank = (status: HealthStatus): number => HEALTH_STATUSES.indexOf(status);

/** True when `a` is worse than `b`. */
export const isWorse = (a: HealthStatus, b: HealthStatus): boolean => rank(a) > rank(b);

/** The worst of several healths (the first one of that status); Healthy for none. */
export function worstHealth(healths: Iterable<Health>): Health {
  let worst: Health = healthy();
  for (const health of healths) if (isWorse(health.status, worst.status)) worst = health;
  return worst;
}

/** A controller has not yet seen the latest spec: any status it reports is about an older one. */
export function specNotObserved(metadata: { generation?: number } | undefined, status: { observedGeneration?: number } | undefined): boolean {
  return (metadata?.generation ?? 0) > (status?.observedGeneration ?? 0);
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
}

export const findCondition = (conditions: Condition[] | undefined, type: string): Condition | undefined =>
  conditions?.find((condition) => condition.type === type);
