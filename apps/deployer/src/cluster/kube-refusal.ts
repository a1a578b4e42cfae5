import { DomainError } from '@slipway/contracts';
import { isOutage, type KubeError } from '@slipway/kube';

/**
 * What the API server did not do, as a refusal (503: retry shortly) that says whether it
 * was for now (the API server away or busy: isOutage) or not (forbidden, invalid, a 500 from
 * a webhook failing closed): a recorded intent is carried out again in place only while the
 * failure is for now (once-in-turn.ts), as a push's apply is (push-materialized.ts).
 */
export class KubeRefusal extends DomainError {
  readonly forNow: boolean;

  constructor(message: string, error: KubeError) {
    super('unavailable', `${message}: ${error.message}`);
    this.forNow = isOutage(error);
  }
}
