import { secretStringsOf, type Reply, type TargetDefinition, type TargetView } from '@slipway/contracts';
import { erasedWhen } from '@slipway/bus';
import type { Sql } from '@slipway/event-log';
import { sealMap, unsealMaps, type CommandSeals } from '@slipway/sealing';
import { deployerSeals } from '../deployer-seals';

/**
 * The definition as its events record it, annotations sealed, with the seals to store
 * beside them. A target without annotations has nothing to seal and does not read the key.
 */
export async function sealedDefinition<D extends TargetDefinition>(db: Sql, definition: D): Promise<{ definition: D; seals?: CommandSeals }> {
  if (Object.keys(definition.annotations).length === 0) return { definition };
  const seals = await deployerSeals.open(db);
  return { definition: { ...definition, annotations: await sealMap(definition.annotations, seals, 'metadata.annotations') }, seals };
}

/**
 * A target command's reply with its annotations' values back. The reply is the target as
 * the commands' state holds it, tokens in place: so it is recorded in command_outcomes (a
 * redelivered command is answered from there, and passes here again), while its sender is
 * answered the values, as a read of the target would be.
 */
export async function unsealedReply<T extends TargetView>(db: Sql, reply: Promise<Reply<T>>): Promise<Reply<T>> {
  const answer = await reply;
  if (!answer.ok) return answer;
  const [annotations] = await unsealMaps(deployerSeals, db, [answer.value.annotations]);
  return { ok: true, value: { ...answer.value, annotations: annotations! } };
}

/**
 * A target command whose annotations hold what sealing hides (the same rules: secretStringsOf)
 * is erased from COMMANDS once handled: its bytes would stay in the stream's files.
 */
export const ERASED_WHEN_SEALING = erasedWhen((payload) => secretStringsOf((payload as { annotations?: unknown } | undefined)?.annotations ?? {}).size > 0);
