import { DomainError, quoted, type ApplyOutcome } from '@slipway/contracts';
import { findOutcome } from '@slipway/event-log';
import type { Pool } from 'pg';

/**
 * The objects a config write changed, as its committed outcome lists them: what a push that
 * names the write (pushOfChanged) applies. The write is committed before its push is sent by
 * anyone, so a push naming a write without such an outcome names none of ours.
 */
export async function objectsChangedBy(db: Pool, writeCommandId: string): Promise<string[]> {
  const written = await findOutcome(db, writeCommandId);
  const changed = written?.reply.ok && written.subject.startsWith('cmd.config.') ? (written.reply.value as Partial<ApplyOutcome> | null)?.materialized : undefined;
  if (!Array.isArray(changed)) {
    throw new DomainError('not-found', `no config write ${quoted(writeCommandId)} that changed objects is recorded: changedBy names the committed write whose changes to push`, 'changedBy');
  }
  return changed;
}
