import { degraded, healthy, progressing, suspended, type Health } from './health-status';

export interface CronJobLike {
  spec?: { suspend?: boolean };
  status?: { active?: unknown[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

/**
 * Suspended by its spec; Progressing while a job it started runs; Degraded when its last
 * scheduled job did not succeed (it was scheduled after the last success, or never
 * succeeded, and nothing runs now); otherwise Healthy (including never scheduled yet).
 */
export function cronJobHealth(cronJob: CronJobLike): Health {
  if (cronJob.spec?.suspend) return suspended('CronJob is suspended');
  const status = cronJob.status ?? {};
  if ((status.active?.length ?? 0) > 0) return progressing('a job of this CronJob is running');
  if (!status.lastScheduleTime) return healthy('not scheduled yet');
  const scheduled = Date.parse(status.lastScheduleTime);
  const succeeded = status.lastSuccessfulTime ? Date.parse(status.lastSuccessfulTime) : Number.NEGATIVE_INFINITY;
  return scheduled > succeeded ? degraded('the last scheduled job did not succeed') : healthy();
}
