import { DependencyDown } from '@slipway/bus';
import { clusterStreamId, refuseIfReused, type CommandEnvelope } from '@slipway/contracts';
import { answeredOnce, clearDeadLettered, findOutcome } from '@slipway/event-log';
import type { Pool } from 'pg';
import { inNamespaceTurn } from './namespace-lock';
import { KubeRefusal } from './kube-refusal';
import { doneWaitingOut, stillWaitingOut } from './wait-out-clock';

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
 * deletion of a job or pod, revive, resume), is run for a command delivered again whose success is
 * recorded, and given the last event it recorded on the namespace (none when its decision
 * appended nothing): the deployer may have stopped, or the API server failed, between the
 * record and the acting. Other commands may have recorded on the namespace meanwhile (a
 * push queued behind it runs before the redelivery does), so `finish` carries out only what
 * of the intent still stands in the state recorded since: a hibernation revived meanwhile is
 * not put back to sleep, an autoscaler resumed or pushed again is not deleted.
 */
export function onceInNamespaceTurn<T>(
  db: Pool, namespace: string, envelope: CommandEnvelope, work: () => Promise<T>, finish?: (own: LastEvent | undefined) => Promise<void>,
): Promise<T> {
  return inNamespaceTurn(db, namespace, async () => {
    const recorded = finish && await findOutcome(db, envelope.commandId);
    if (recorded) {
      // Another command under this id is refused before anything of the recorded one is redone.
      refuseIfReused(recorded, envelope);
      if (recorded.reply.ok) {
        await finish!(await lastEventRecordedBy(db, namespace, envelope.commandId));
        // Finished (sent again under its id, or redriven): no operator need redrive it now.
        await clearDeadLettered(db, envelope.commandId);
      }
    }
    return answeredOnce(db, envelope, work);
  });
}

export interface LastEvent {
  type: string;
  data: unknown;
  /** Its version on the namespace's stream: what was recorded after it came later. */
  version: number;
}

/**
 * The last event this command recorded on the namespace's stream, if any. Read from the
 * stream's end backwards (the unique (stream_id, stream_version) index orders it): a
 * namespace's stream grows with every push, and a command is delivered again soon after
 * it recorded, so few events are passed over.
 */
async function lastEventRecordedBy(db: Pool, namespace: string, commandId: string): Promise<LastEvent | undefined> {
  const { rows } = await db.query<LastEvent>(
    "SELECT type, data, stream_version AS version FROM events WHERE stream_id = $1 AND metadata->>'commandId' = $2 ORDER BY stream_version DESC LIMIT 1",
    [clusterStreamId(namespace), commandId],
  );
  return rows[0];
}

/**
 * Carries out what a command recorded as its intent. A failure here is no refusal: the
 * outcome is recorded, and a refusal answered to a waiting sender would be acked with the
 * work undone. The API server down or busy is a dependency down (DependencyDown): retried
 * in place for as long as it lasts, each time in a turn of its own (five counted deliveries
 * in an outage of fifteen seconds left a hibernation recorded and never carried out), with
 * no bound: unlike a push, which records what it could not apply after ten minutes, the
 * intent has no outcome left to record but the dead letter. A 500 (a webhook failing closed
 * while its pods restart) is waited out so too, for ten minutes (wait-out-clock.ts). An API
 * server that answers and refuses (forbidden, invalid: a policy on the real operation that
 * its dry run passed), or a 500 past its wait, is a failed delivery: retried a few times,
 * then dead-lettered with its reason for an operator to see, mend and redrive (under its own
 * id, so finished as a redelivery is), rather than held and retried without end.
 */
export async function carryOut(commandId: string, work: () => Promise<void>, now = Date.now): Promise<void> {
  try {
    await work();
    doneWaitingOut(commandId);
  } catch (error) {
    const message = `recorded, but carrying it out failed: ${(error as Error).message}`;
    const waitsOut = !(error instanceof KubeRefusal) || error.forNow || (error.mayPass && stillWaitingOut(commandId, now()));
    // Its clock is kept: the deliveries after this one count at once, not after ten minutes each.
    if (!waitsOut) throw new Error(`${message}; retried, then dead-lettered`, { cause: error });
    throw new DependencyDown(`${message}; it is retried until it is done`, { cause: error });
  }
}

/**
 * The events recorded on the namespace's stream after `version` of the given types, in
 * order: what a command delivered again after its record (revive, resume) finds done since.
 */
export async function recordedSince<D>(db: Pool, namespace: string, version: number, types: string[]): Promise<Array<{ type: string; data: D }>> {
  const { rows } = await db.query<{ type: string; data: D }>(
    'SELECT type, data FROM events WHERE stream_id = $1 AND stream_version > $2 AND type = ANY($3::text[]) ORDER BY stream_version',
    [clusterStreamId(namespace), version, types],
  );
  return rows;
}

/**
 * The events of the given types recorded on the namespace's stream by commands issued after
 * `issuedAt`, with the command that recorded each. Looked up by type (the log's index on it):
 * for types few of the log's events have.
 */
export async function recordedAfterTime<D>(db: Pool, namespace: string, issuedAt: string, types: string[]): Promise<Array<{ type: string; data: D; commandId: string }>> {
  const { rows } = await db.query<{ type: string; data: D; commandId: string }>(
    `SELECT type, data, metadata->>'commandId' AS "commandId" FROM events
     WHERE type = ANY($1::text[]) AND stream_id = $2 AND (metadata->>'occurredAt')::timestamptz > $3::timestamptz ORDER BY position`,
    [types, clusterStreamId(namespace), issuedAt],
  );
  return rows;
}
