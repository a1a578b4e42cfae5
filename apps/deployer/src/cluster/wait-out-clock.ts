/**
 * How long a command waits out, in place, an API server that fails it for what may pass: a
 * push an outage (it then records what it could not apply), a recorded intent a 500 (a
 * webhook failing closed while its pods restart; it is then a failed delivery, counted
 * towards dead-lettering). Measured per process: a restart starts the clock again.
 */
export const WAIT_OUT_MS = 10 * 60_000;

/** When each command in this process first met such a failure; removed as it ends, or once long past the wait. */
const firstMet = new Map<string, number>();

/** Whether `commandId`, failing now, is still within its wait (its first failure starts it). */
export function stillWaitingOut(commandId: string, now = Date.now()): boolean {
  for (const [id, since] of firstMet) if (now - since > 2 * WAIT_OUT_MS) firstMet.delete(id);
  const since = firstMet.get(commandId) ?? now;
  firstMet.set(commandId, since);
  return now - since < WAIT_OUT_MS;
}

/** The command is done with its failures (it recorded its outcome, or carried out its intent). */
export function doneWaitingOut(commandId: string): void {
  firstMet.delete(commandId);
}
