import { CommandBus, type SendResult } from '@slipway/bus';
import { DomainError, PushConfigs, pushIdOf, pushOfChanged, type Actor, type ApplyOutcome, type PushOutcome, type Reply } from '@slipway/contracts';
import { CommandAccepted } from '../../http/accepted';
import { appliedData } from './envelope';

/**
 * The document's writes (uploads, patches, image updates, label bindings) apply what
 * they changed, and answer with `successful_apply` / `failed_to_apply`. The write is
 * already committed by the config-store; a PushConfigs command pushes its re-materialized
 * objects through the deployer. Without a cluster (the deployer answers a final
 * `unavailable`) the configs stay stored and unapplied, and the answer says so by listing
 * none; a push still under way is answered 202 (applyChanged).
 */

/** The write whose push is awaited: its id (the push's derives from it) and its chain's correlation id. */
export interface SentWrite {
  commandId: string;
  correlationId: string;
}

/**
 * Waits for the push of what a write changed (the config-store handed it to JetStream
 * before answering the write): sent again under the push's id, the same command, so this
 * sender is answered its outcome.
 */
function awaitPush(commands: CommandBus, actor: Actor, changed: string[], write: SentWrite, waitMs: number): Promise<SendResult<PushOutcome>> {
  return commands.send(PushConfigs, pushOfChanged(changed, write.commandId), { actor, commandId: pushIdOf(write.commandId), correlationId: write.correlationId, causationId: write.commandId, waitMs });
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

/**
 * A committed write's outcome with the answer of its push (the synchronous routes). A push
 * still running at the wait bound, or put off by the deployer ("retry shortly": JetStream
 * delivers it again), has no outcome yet: the answer is 202 with the push's status URL,
 * not a 200 that would say nothing was to be applied; so is a push the bus could not wait
 * for. Only "no cluster" (a final `unavailable`) answers the write alone.
 */
export async function applyChanged(commands: CommandBus, actor: Actor, outcome: ApplyOutcome, write: SentWrite, waitMs: number): Promise<ApplyOutcome> {
  if (outcome.materialized.length === 0) return outcome;
  // The bound spent on the write: the push's status is where its outcome will be.
  if (waitMs <= 0) throw pushUnderWay(write, outcome);
  let result: SendResult<PushOutcome>;
  try {
    result = await awaitPush(commands, actor, outcome.materialized, write, waitMs);
  } catch (error) {
    // The bus did not carry the wait (NATS slow or gone): the write is committed and its push
    // handed over already, so the answer points at the push, not a 503 that invites a second write.
    if (error instanceof DomainError && error.code === 'unavailable') throw pushUnderWay(write, outcome);
    throw error;
  }
  if (result.status === 'accepted' || (!result.reply.ok && result.reply.error.code === 'unavailable' && result.reply.error.final !== true)) {
    throw pushUnderWay(write, outcome);
  }
  return withPush(outcome, result.reply);
}

/**
 * The 202 of a committed write whose push has no outcome yet: it points at the push, and
 * says already what only the write knows (the objects it changed, the stored patches it
 * left out), which the push's status does not carry.
 */
function pushUnderWay(write: SentWrite, outcome: ApplyOutcome): CommandAccepted {
  return new CommandAccepted(pushIdOf(write.commandId), appliedData({ ...outcome, successfulApply: [], failedToApply: [] }));
}
