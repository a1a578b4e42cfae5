import { CommandBus, type SendResult } from '@slipway/bus';
import { PushConfigs, type Actor, type ApplyOutcome, type PushOutcome, type Reply } from '@slipway/contracts';

/**
 * The document's writes (uploads, patches, image updates, label bindings) apply what
 * they changed, and answer with `successful_apply` / `failed_to_apply`. The write is
 * already committed by the config-store; a PushConfigs command pushes its re-materialized
 * objects through the deployer. Without a cluster (the deployer answers `unavailable`) or
 * past the wait bound, the configs stay stored and unapplied, and the answer says so by
 * listing none.
 */

/**
 * The push of a write's changes has an id derived from the write's: sending it again (a
 * retried request, a result poll after the gateway stopped) is the same command, which
 * JetStream drops within its dedupe window and the deployer answers from its record after.
 */
export const pushIdOf = (writeCommandId: string): string => `${writeCommandId}-push`;

/** Sends the push of what a write changed; `waitMs` 0 only hands it to JetStream. */
export function sendPush(
  commands: CommandBus, actor: Actor, changed: string[], writeCommandId?: string, waitMs?: number,
): Promise<SendResult<PushOutcome>> {
  return commands.send(PushConfigs, { objects: changed }, {
    actor, waitMs,
    ...(writeCommandId ? { commandId: pushIdOf(writeCommandId), correlationId: writeCommandId } : {}),
  });
}

/** A write's outcome with its push's answer: what was applied, what failed and why. */
export function withPush(outcome: ApplyOutcome, push: Reply<PushOutcome>): ApplyOutcome {
  if (push.ok) return withFailures({ ...outcome, successfulApply: push.value.successfulApply }, push.value.failedToApply);
  if (push.error.code === 'unavailable') return outcome;
  // The push was refused as a whole: every object it carried failed, for the same reason.
  return withFailures(outcome, Object.fromEntries(outcome.materialized.map((object) => [object, push.error.message])));
}

function withFailures(outcome: ApplyOutcome, reasons: Record<string, string>): ApplyOutcome {
  const failedToApply = Object.keys(reasons);
  return failedToApply.length === 0 ? { ...outcome, failedToApply } : { ...outcome, failedToApply, failureReasons: reasons };
}

/** Pushes what a committed write changed and answers with both (the synchronous routes). */
export async function applyChanged(commands: CommandBus, actor: Actor, outcome: ApplyOutcome, writeCommandId?: string): Promise<ApplyOutcome> {
  if (outcome.materialized.length === 0) return outcome;
  const result = await sendPush(commands, actor, outcome.materialized, writeCommandId);
  return result.status === 'completed' ? withPush(outcome, result.reply) : outcome;
}
