import { CommandBus } from '@slipway/bus';
import { PushConfigs, type Actor, type ApplyOutcome } from '@slipway/contracts';

/**
 * The document's writes (uploads, patches, image updates, label bindings) apply what
 * they changed, and answer with `successful_apply` / `failed_to_apply`. The write is
 * already committed by the config-store; this pushes its re-materialized objects through
 * the deployer. Without a cluster (the deployer answers `unavailable`) or past the wait
 * bound, the configs stay stored and unapplied, and the answer says so by listing none.
 */
export async function applyChanged(commands: CommandBus, actor: Actor, outcome: ApplyOutcome): Promise<ApplyOutcome> {
  if (outcome.materialized.length === 0) return outcome;
  const result = await commands.send(PushConfigs, { objects: outcome.materialized }, { actor });
  if (result.status !== 'completed') return outcome;
  if (!result.reply.ok) return result.reply.error.code === 'unavailable' ? outcome : { ...outcome, failedToApply: outcome.materialized };
  const push = result.reply.value;
  return { ...outcome, successfulApply: push.successfulApply, failedToApply: Object.keys(push.failedToApply) };
}
