import type { ApplyOutcome, PushOutcome } from '@slipway/contracts';

/** The document's envelope for a success. */
export const ok = (data: unknown) => ({ statusCode: 200, data, error: null });

/**
 * A write's answer: `successful_apply` as the document names it; `failed_to_apply` only
 * when something failed; `materialized` (a Slipway addition) names the objects whose
 * materialized config changed.
 */
export function applied(outcome: ApplyOutcome) {
  return ok({
    successful_apply: outcome.successfulApply,
    ...(outcome.failedToApply.length ? { failed_to_apply: outcome.failedToApply } : {}),
    materialized: outcome.materialized,
  });
}

/** Cluster pushes report failures per object with a reason, as "Update all objects" shows. */
export const pushed = (outcome: PushOutcome) => ok({ successful_apply: outcome.successfulApply, failed_to_apply: outcome.failedToApply });
