import { CommandBus, type SendResult } from '@slipway/bus';
import { PushConfigs, pushIdOf, pushOfChanged, type Actor, type ApplyOutcome, type PushOutcome, type Reply } from '@slipway/contracts';

/**
 * The document's writes (uploads, patches, image updates, label bindings) apply what
 * they changed, and answer with `successful_apply` / `failed_to_apply`. The write is
 * already committed by the config-store; a PushConfigs command pushes its re-materialized
 * objects through the deployer. Without a cluster (the deployer answers `unavailable`) or
 * past the wait bound, the configs stay stored and unapplied, and the answer says so by
 * listing none.
 */

/**
 * Waits for the push of what a write changed (the config-store handed it to JetStream
 * before answering the write): sent again under the push's id, the same command, so this
 * sender is answered its outcome.
 */
function awaitPush(commands: CommandBus, actor: Actor, changed: string[], writeCommandId: string): Promise<SendResult<PushOutcome>> {
  return commands.send(PushConfigs, pushOfChanged(changed), { actor, commandId: pushIdOf(writeCommandId), correlationId: writeCommandId });
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

/** A committed write's outcome with the answer of its push (the synchronous routes). */
export async function applyChanged(commands: CommandBus, actor: Actor, outcome: ApplyOutcome, writeCommandId: string): Promise<ApplyOutcome> {
  if (outcome.materialized.length === 0) return outcome;
  const result = await awaitPush(commands, actor, outcome.materialized, writeCommandId);
  return result.status === 'completed' ? withPush(outcome, result.reply) : outcome;
}
