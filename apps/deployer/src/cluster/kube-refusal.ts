import { DomainError } from '@slipway/contracts';
import { isOutage, type KubeError } from '@slipway/kube';

/**
 * What the API server did not do, as a refusal (503) that says whether it was for now (the
 * API server away or busy: isOutage; "retry shortly") or not (forbidden, invalid, a 500 from
 * a webhook failing closed: final, the command's outcome, without a Retry-After that would
 * invite a retry a policy refuses again). A recorded intent is carried out again in place
 * only while the failure is for now (once-in-turn.ts), as a push's apply is (push-materialized.ts).
 */
export class KubeRefusal extends DomainError {
  readonly forNow: boolean;

  constructor(message: string, error: KubeError) {
    const forNow = isOutage(error);
    super('unavailable', `${message}: ${error.message}`, undefined, forNow ? undefined : true);
    this.forNow = forNow;
  }
}
