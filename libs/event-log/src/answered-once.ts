import { refuseIfReused, replyValue, type CommandEnvelope, type Reply } from '@slipway/contracts';
import { findOutcome } from './command-outcomes';
import type { Pool } from 'pg';

/**
 * Handles a command whose outcome others read back by id (GetCommandStatus) at most once:
 * a command already answered (a re-send after JetStream's dedupe window, a redelivery)
 * answers what was recorded, without acting again (on a cluster, on the bus). `work`
 * records its own success (its decision and outcome commit together); a final refusal is
 * recorded by the transport (DomainError.final), a transient one is not, so a later send acts.
 * Another command sent under a recorded id is refused (CommandIdReused), not answered.
 */
export async function answeredOnce<T>(db: Pool, envelope: CommandEnvelope, work: () => Promise<T>): Promise<T> {
  const recorded = await findOutcome(db, envelope.commandId);
  if (!recorded) return work();
  refuseIfReused(recorded, envelope);
  return replyValue(recorded.reply as Reply<T>);
}
