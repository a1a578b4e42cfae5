import { DomainError } from '@slipway/contracts';

/**
 * The whole settlement policy for JetStream messages, in one place.
 * - handled (including a refusal recorded as the command's outcome): ack
 * - undecodable, or no handler for the subject: term and dead-letter at once (poison)
 * - anything else (database down, a bug): nak with growing delay; on the last allowed
 *   delivery, term and dead-letter instead, so it stops blocking and can be inspected.
 * - delivered more often than allowed without ever being settled (its handler took the
 *   process down, or settling itself failed, each time): dead-letter before running it again.
 */
export const MAX_DELIVERIES = 5;
export const ACK_WAIT_MS = 30_000;
const RETRY_DELAYS_MS = [200, 1_000, 3_000, 10_000];

export type Settlement =
  | { action: 'ack' }
  | { action: 'nak'; delayMs: number }
  | { action: 'dead-letter'; reason: string };

export class PoisonMessage extends Error {
  override readonly name = 'PoisonMessage';
}

export function settle(outcome: { error?: unknown }, deliveryCount: number, maxDeliveries = MAX_DELIVERIES): Settlement {
  const { error } = outcome;
  if (error === undefined || error instanceof DomainError) return { action: 'ack' };
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof PoisonMessage || deliveryCount >= maxDeliveries) return { action: 'dead-letter', reason };
  return { action: 'nak', delayMs: RETRY_DELAYS_MS[Math.min(deliveryCount - 1, RETRY_DELAYS_MS.length - 1)]! };
}

/** Before the work: a message past its allowed deliveries is dead-lettered without running. */
export function settleUnsettled(deliveryCount: number, maxDeliveries = MAX_DELIVERIES): { action: 'dead-letter'; reason: string } | undefined {
  if (deliveryCount <= maxDeliveries) return undefined;
  return { action: 'dead-letter', reason: `delivered ${deliveryCount} times without being settled (more than ${maxDeliveries})` };
}
