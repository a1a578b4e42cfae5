import { DomainError } from '@slipway/contracts';

/**
 * The whole settlement policy for JetStream messages, in one place.
 * - handled (including a refusal recorded as the command's outcome): ack
 * - refused with "retry shortly" while nobody waits for the reply, or a sender that waits
 *   does not confirm the answer (RetryLater): nak with a slower delay; the handler makes
 *   the refusal the outcome at the last delivery. Confirmed, it is acked: the sender decides;
 *   delivered again all the same (its ack lost), it is acked unrun (answered-refusals.ts).
 * - an event handler's refusal is not the event handled: one that may pass (`unavailable`, a
 *   contended stream) is retried as RetryLater, a final one is poison (jetstream.server.ts)
 * - undecodable: term and dead-letter at once (poison)
 * - no handler for the subject in this version: as "retry shortly" while nobody waits (an
 *   instance of a newer version may take it during a rolling upgrade), then dead-letter
 * - a dependency down or busy (isTransient: Postgres unreachable, restarting, a lost
 *   serialization race): retried in place, with growing pauses and heartbeats, for as long
 *   as the outage lasts; never counted as a delivery (settle-message.ts). A service that
 *   stops meanwhile naks it, for another instance to take at once; that delivery, or one
 *   whose process died during a pause, is not counted either (outage-deliveries.ts).
 * - another version's to do (leftToAnother: an instance older than the rules its projection
 *   was rebuilt with, in a rolling upgrade): nak after a short delay, not counted as a delivery,
 *   so that the consumer's places go to the instances that can do it.
 * - anything else (a bug): nak with growing delay; on the last allowed delivery, term
 *   and dead-letter instead, so it stops blocking and can be inspected.
 * - dead-lettered: a command's refusal is recorded first, then it is filed and termed; the
 *   record failing for a transient reason (Postgres down), it is nakked, to be recorded,
 *   filed and termed on a later delivery (settle-message.ts).
 * - delivered more often than allowed without ever being settled (its handler took the
 *   process down, or settling itself failed, each time): dead-letter before running it again.
 */
export const MAX_DELIVERIES = 5;
export const ACK_WAIT_MS = 30_000;
const RETRY_DELAYS_MS = [200, 1_000, 3_000, 10_000];
const TRANSIENT_PAUSES_MS = [200, 1_000, 3_000, 10_000, 30_000];

/** The pause before retrying in place after the `retry`th transient failure in a row (1-based). */
export function transientPauseMs(retry: number): number {
  return TRANSIENT_PAUSES_MS[Math.min(retry - 1, TRANSIENT_PAUSES_MS.length - 1)]!;
}

export type Settlement =
  | { action: 'ack' }
  | { action: 'nak'; delayMs: number }
  | { action: 'dead-letter'; reason: string };

export class PoisonMessage extends Error {
  override readonly name = 'PoisonMessage';
}

/**
 * A "retry shortly" refusal (`unavailable`) of a command whose sender no longer waits for
 * the reply: nobody would retry it, so the bus does, on a slower schedule than a failure's;
 * at its last allowed delivery the refusal becomes the command's outcome instead.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
}
const REFUSAL_RETRY_DELAYS_MS = [1_000, 5_000, 15_000, 30_000];
/** How long the bus's retries of a refusal nobody waits for last, from its first delivery to its last. */
export const REFUSAL_RETRIES_SPAN_MS = REFUSAL_RETRY_DELAYS_MS.slice(0, MAX_DELIVERIES - 1).reduce((sum, delay) => sum + delay, 0);

export function settle(outcome: { error?: unknown }, deliveryCount: number, maxDeliveries = MAX_DELIVERIES): Settlement {
  const { error } = outcome;
  if (error === undefined || error instanceof DomainError) return { action: 'ack' };
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof PoisonMessage || deliveryCount >= maxDeliveries) return { action: 'dead-letter', reason };
  const delays = error instanceof RetryLater ? REFUSAL_RETRY_DELAYS_MS : RETRY_DELAYS_MS;
  return { action: 'nak', delayMs: delays[Math.min(deliveryCount - 1, delays.length - 1)]! };
}

/**
 * Before the work: a message past its allowed deliveries is dead-lettered without running.
 * `inOutages`: earlier deliveries that ended while the work waited out an outage, not while
 * the handler ran (outage-deliveries.ts); they are not counted.
 */
export function settleUnsettled(deliveryCount: number, maxDeliveries = MAX_DELIVERIES, inOutages = 0): { action: 'dead-letter'; reason: string } | undefined {
  const counted = deliveryCount - inOutages;
  if (counted <= maxDeliveries) return undefined;
  const uncounted = inOutages > 0 ? `, not counting ${inOutages} that ended in an outage` : '';
  return { action: 'dead-letter', reason: `delivered ${counted} times without being settled (more than ${maxDeliveries})${uncounted}` };
}

/**
 * What a command's refusal becomes. A final one is its outcome. A "retry shortly" one
 * (`unavailable`) is answered to a sender still waiting, who may resend (recorded as the
 * last refusal, not an outcome); when nobody waits, the bus retries it (`retry`) until its
 * last allowed delivery, where it becomes the outcome (`give-up`).
 */
export type RefusalHandling = 'outcome' | 'answer' | 'retry' | 'give-up';

export function handleRefusal(
  refusal: { final: boolean }, sender: { waits: boolean }, deliveryCount: number, maxDeliveries = MAX_DELIVERIES,
): RefusalHandling {
  if (refusal.final) return 'outcome';
  if (sender.waits) return 'answer';
  return deliveryCount < maxDeliveries ? 'retry' : 'give-up';
}

/** A reply sent closer than this to its sender's `repliesUntil` may arrive after the sender stopped listening. */
const REPLY_MARGIN_MS = 500;

/**
 * Whether a command's sender still waits for its reply: on its first delivery (a
 * redelivery comes after the ack wait, long past any sender's bound), and with its
 * `repliesUntil` not about to pass. No `repliesUntil` (a publisher on NATS that did not
 * say) counts as nobody waiting.
 */
export function senderWaits(repliesUntil: unknown, deliveryCount: number, now = Date.now()): boolean {
  if (deliveryCount > 1 || typeof repliesUntil !== 'string') return false;
  return Date.parse(repliesUntil) - now > REPLY_MARGIN_MS;
}
