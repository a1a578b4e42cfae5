import type { ApplyOutcome, PushOutcome } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { send } from '../../http/respond';
import { ANSWERS_APPLIED, marked, REFUSAL_DATA } from '../../http/route-marks';

/** The document's envelope for a success. */
export const ok = (data: unknown) => ({ statusCode: 200, data, error: null });

/**
 * A write's `data`: `successful_apply` and `failed_to_apply` as the document names them (its
 * schema returns every key not marked optional, though its success examples leave the second
 * out); `materialized` (a Slipway addition) names the objects whose materialized config changed,
 * and `patches_not_applied` (another, only when there are any) the stored patches that, after the
 * write, do not apply to an object where they did not fail before (its patch list says why).
 */
export function appliedData(outcome: ApplyOutcome) {
  const notApplied = outcome.patchesNotApplied?.map(({ version, object }) => ({ version, object_name: object }));
  return { successful_apply: outcome.successfulApply, failed_to_apply: outcome.failedToApply, materialized: outcome.materialized, ...(notApplied ? { patches_not_applied: notApplied } : {}) };
}

/**
 * Marks a write that answers what it applied: its refusals (bad input, auth, a dependency
 * down) and its 202 carry the document's failure `data` with nothing applied, so a client
 * reading `data.failed_to_apply` of any answer finds it.
 */
export const AnswersApplied = () => marked({ [REFUSAL_DATA]: { successful_apply: [], failed_to_apply: [] }, [ANSWERS_APPLIED]: true });

/** `error` of a write that failed somewhere: each object that failed, with the API server's reason. */
function failureOf(outcome: ApplyOutcome): string {
  const reasons = outcome.failedToApply.map((object) => {
    const reason = outcome.failureReasons?.[object];
    return reason ? `${object}: ${reason}` : object;
  });
  return `failed to apply ${reasons.join('; ')}`;
}

/**
 * Answers a write, choosing the status from its outcome so no route can forget: the
 * document's "If failure" is HTTP 500 with `statusCode` 500, `data` (`successful_apply`,
 * `failed_to_apply`) and the reason in `error`; anything else is the 200 envelope.
 */
export function answerApplied(request: FastifyRequest, reply: FastifyReply, outcome: ApplyOutcome): void {
  const data = appliedData(outcome);
  if (outcome.failedToApply.length === 0) send(request, reply, 200, ok(data));
  else send(request, reply, 500, { statusCode: 500, data, error: failureOf(outcome) });
}

/**
 * Cluster pushes report failures per object with a reason, as "Update all objects" shows,
 * and answer 200 with `error: null` even then, as that example does.
 */
export const pushed = (outcome: PushOutcome) => ok({ successful_apply: outcome.successfulApply, failed_to_apply: outcome.failedToApply });
