import { degraded, findCondition, healthy, progressing, suspended, type Condition, type Health } from './health-status';

export interface JobLike {
  spec?: { suspend?: boolean };
  status?: { active?: number; succeeded?: number; failed?: number; conditions?: Condition[] };
}

const isTrue = (conditions: Condition[] | undefined, type: string): Condition | undefined => {
  const condition = findCondition(conditions, type);
  return condition?.status === 'True' ? condition : undefined;
};

/**
 * Terminal conditions first (Failed, or FailureTarget while pods are being torn down; then
 * Complete), then suspension; anything else is still running.
 */
export function jobHealth(job: JobLike): Health {
  const conditions = job.status?.conditions;
  const failed = isTrue(conditions, 'Failed') ?? isTrue(conditions, 'FailureTarget');
  if (failed) return degraded(failed.message ?? failed.reason ?? 'Job failed');
  const complete = isTrue(conditions, 'Complete') ?? isTrue(conditions, 'SuccessCriteriaMet');
  if (complete) return healthy(complete.message ?? 'Job completed');
  if (isTrue(conditions, 'Suspended') || job.spec?.suspend) return suspended('Job is suspended');
  return progressing(`Job is running: ${job.status?.active ?? 0} active, ${job.status?.succeeded ?? 0} succeeded`);
}
