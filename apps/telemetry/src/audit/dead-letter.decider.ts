import { DeadLetterDiscarded, DomainError, isCommandId, type DeadLetter, type EventDataOf } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

export type DeadLetterEvent = { type: typeof DeadLetterDiscarded.type; data: EventDataOf<typeof DeadLetterDiscarded> };
export type DeadLetterState = { discarded: boolean };
export type DiscardCommand = { letter: DeadLetter; now: string };

/** A filed message is discarded once; the event keeps what it was, never its payload. */
export const deadLetterDecider: Decider<DeadLetterState, DiscardCommand, DeadLetterEvent> = {
  initialState: () => ({ discarded: false }),
  evolve: () => ({ discarded: true }),
  decide({ letter, now }, state) {
    if (state.discarded) throw new DomainError('not-found', `dead letter ${letter.sequence} was discarded already`, 'sequence');
    const { sequence, subject, reason, deliveries, deadAt, commandId } = letter;
    // A message dead-lettered for its id (a NUL in it, say) keeps it out of the log, which could not store it.
    return [{ type: DeadLetterDiscarded.type, data: { sequence, subject, reason, deliveries, deadAt, ...(isCommandId(commandId) ? { commandId } : {}), discardedAt: now } }];
  },
};
