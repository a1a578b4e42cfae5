import { DomainError } from '@slipway/contracts';
import type { KubeError } from '@slipway/kube';

/**
 * What the API server did not do, as a refusal (503: retry shortly) that says whether it
 * was for now (down, busy, no answer) or for good (forbidden, invalid): a recorded intent
 * is carried out again in place only while the failure is for now (once-in-turn.ts).
 */
export class KubeRefusal extends DomainError {
  readonly forNow: boolean;

  constructor(message: string, error: KubeError) {
    super('unavailable', `${message}: ${error.message}`);
    this.forNow = error.kind === 'transient';
  }
}
