import { clusterStreamId, DomainError, refuseIfReused, type CommandEnvelope } from '@slipway/contracts';
import { answeredOnce, findOutcome } from '@slipway/event-log';
import type { Pool } from 'pg';
import { inNamespaceTurn } from './namespace-lock';

/**
 * Runs a cluster command at most once by id: a command whose outcome is recorded (a
 * redelivery after a lost ack, a resend after JetStream's dedupe window) answers the
 * recorded outcome without touching the cluster. Acting again would undo, on the cluster,
 * whatever was done since (a hibernation delivered again after a revive scales the
 * workloads back to 0 while the log says awake).
 *
 * The check is made inside the namespace's turn, and `work` records its outcome before the
 * turn ends: so a concurrent duplicate waits, then finds the outcome, rather than both
 * finding none and both acting.
 *
 * `finish`, for commands that record their intent before acting (hibernate, pause, the
 * deletion of a job or pod), is run for a recorded command while nothing has been recorded
 * on the namespace since it (and given that last event): the deployer may have stopped
 * between the record and the acting, and redoing the recorded effect then only brings the
 * cluster to what the log already says. Once another command has recorded, the cluster is
 * that command's to change, and nothing is redone.
 */
export function onceInNamespaceTurn<T>(
  db: Pool, namespace: string, envelope: CommandEnvelope, work: () => Promise<T>, finish?: (last: LastEvent) => Promise<void>,
): Promise<T> {
  return inNamespaceTurn(db, namespace, async () => {
    const last = finish && await lastEventRecordedBy(db, namespace, envelope.commandId);
    if (last) {
      // Another command under this id is refused before anything of the recorded one is redone.
      refuseIfReused(await findOutcome(db, envelope.commandId), envelope);
      await finish!(last);
    }
    return answeredOnce(db, envelope, work);
  });
}

export interface LastEvent {
  type: string;
  data: unknown;
}

/**
 * The namespace's latest event, if this command recorded it. Only the last event is read
 * (the unique (stream_id, stream_version) index finds it): a namespace's stream grows with
 * every push. A command's events and its outcome commit together, so this also says the
 * command has an outcome.
 */
async function lastEventRecordedBy(db: Pool, namespace: string, commandId: string): Promise<LastEvent | undefined> {
  const { rows } = await db.query<LastEvent & { command_id: string | null }>(
    "SELECT type, data, metadata->>'commandId' AS command_id FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1",
    [clusterStreamId(namespace)],
  );
  const last = rows[0];
  return last && last.command_id === commandId ? { type: last.type, data: last.data } : undefined;
}

/**
 * Carries out what a command recorded as its intent. A failure here is no refusal: the
 * outcome is recorded, and a refusal answered to a waiting sender would be acked with the
 * work undone. So it is handed back as a failure (not a DomainError): the message is
 * delivered again, and `finish` carries the work out then.
 */
export async function carryOut(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new Error(`recorded, but carrying it out failed; it is retried: ${error.message}`, { cause: error });
  }
}
