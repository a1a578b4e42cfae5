import type { CommandStatus } from '@slipway/contracts';
import { readCommandStatus, type Sql } from '@slipway/event-log';
import { acceptedRecord } from './accepted-commands';
import type { Bus } from './bus';
import { DependencyDown } from './transient';

/**
 * What GetCommandStatus answers: the outcome or last refusal the log records, else
 * "pending" for a command a sender handed over unanswered (a 202) and "unknown" for any
 * other id. A command published without a CommandBus and still queued reads as unknown.
 */
export async function commandStatus(db: Sql, bus: Bus, commandId: string): Promise<CommandStatus> {
  const recorded = await readCommandStatus(db, commandId);
  if (recorded.status !== 'pending') return recorded;
  // Read even after a "retry shortly": a command whose sender had stopped waiting stays queued
  // (retried by the bus), and its 202's fingerprint is what another body under its id meets.
  // NATS away or restarting: the caller's "retry shortly" (503), not an internal failure (500).
  const accepted = await acceptedRecord(bus, commandId).catch((error: unknown) => {
    throw new DependencyDown(`the record of the commands answered 202 could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  if (!accepted) return recorded.lastRefusal ? recorded : { commandId, status: 'unknown' };
  // Its subject too: a sender of another command under the id is refused while it is pending.
  return { ...recorded, subject: accepted.subject, ...(accepted.fingerprint ? { fingerprint: accepted.fingerprint } : {}) };
}

/** Whether a status is the command's outcome, which no later read changes. */
export const isFinal = (status: CommandStatus): boolean => status.status === 'succeeded' || status.status === 'failed';
