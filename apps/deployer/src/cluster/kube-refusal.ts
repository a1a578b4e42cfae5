import { DomainError } from '@slipway/contracts';
import { isOutage, type KubeError } from '@slipway/kube';

/**
 * What the API server did not do, as a refusal (503) that says how long it may last: `forNow`
 * (the API server away or busy: isOutage), `mayPass` (that, or a 500: a webhook failing
 * closed while its pods restart) — "retry shortly" — or neither (forbidden, invalid: final, the
 * command's outcome, without a Retry-After that would invite a retry a policy refuses again).
 * A recorded intent is carried out again in place while the failure is for now, and for a
 * while if it may pass (once-in-turn.ts), as a push's apply is (push-materialized.ts).
 */
export class KubeRefusal extends DomainError {
  readonly forNow: boolean;
  readonly mayPass: boolean;

  constructor(message: string, error: KubeError) {
    const mayPass = error.kind === 'transient';
    super('unavailable', `${message}: ${error.message}`, undefined, mayPass ? undefined : true);
    this.forNow = isOutage(error);
    this.mayPass = mayPass;
  }
}
