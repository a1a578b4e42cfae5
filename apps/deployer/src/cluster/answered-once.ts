import { DomainError, type CommandEnvelope } from '@slipway/contracts';
import { findOutcome, recordOutcomes } from '@slipway/event-log';
import type { Pool } from 'pg';
import { ClusterNotConfigured } from './cluster-access';

/**
 * Handles a command whose outcome others read back by id (GetCommandStatus), so that its
 * final outcome is recorded, and recorded once:
 * - a command already answered (a re-send after JetStream's dedupe window, a redelivery)
 *   answers what was recorded, without acting on the cluster again;
 * - a final refusal (no cluster configured, an unknown object, an invalid payload) is
 *   recorded as the outcome too, so its status is final instead of pending forever;
 * - a transient one (a service that did not answer, an API server that failed) is answered
 *   but not recorded: the command's id is derived from a write's, so a recorded transient
 *   refusal would answer every later send of it and the push would never happen.
 * `work` records its own success (its decision and outcome commit together).
 */
export async function answeredOnce<T>(db: Pool, subject: string, envelope: CommandEnvelope, work: () => Promise<T>): Promise<T> {
  const recorded = await findOutcome(db, envelope.commandId);
  if (recorded) {
    if (recorded.reply.ok) return recorded.reply.value as T;
    throw new DomainError(recorded.reply.error.code, recorded.reply.error.message, recorded.reply.error.field);
  }
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && isFinalRefusal(error)) await recordRefusal(db, subject, envelope.commandId, error);
    throw error;
  }
}

/**
 * Whether a refusal is the command's final outcome: every refusal but `unavailable` (the
 * contract's "a dependency is down; retry"), and `unavailable` itself when it says that
 * no cluster is configured, which stays so for the deployer's lifetime.
 */
export function isFinalRefusal(error: DomainError): boolean {
  return error.code !== 'unavailable' || error instanceof ClusterNotConfigured;
}

async function recordRefusal(db: Pool, subject: string, commandId: string, error: DomainError): Promise<void> {
  try {
    await recordOutcomes(db, [{ commandId, subject, reply: { ok: false, error: error.toJSON() } }]);
  } catch (failure) {
    // A concurrent delivery of the same command recorded its outcome first: that one stands.
    if ((failure as { code?: string }).code !== '23505') throw failure;
  }
}
