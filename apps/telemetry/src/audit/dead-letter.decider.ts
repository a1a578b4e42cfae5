import { DeadLetterDiscarded, DeadLetterRedriven, definedCommandSubjects, DomainError, isCommandId, type DeadLetter, type EventDataOf } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

export type DeadLetterEvent =
  | { type: typeof DeadLetterDiscarded.type; data: EventDataOf<typeof DeadLetterDiscarded> }
  | { type: typeof DeadLetterRedriven.type; data: EventDataOf<typeof DeadLetterRedriven> };
export type DeadLetterState = { settled?: 'discarded' | 'redriven'; redrivenAs?: string };
export type DeadLetterCommand =
  | { kind: 'discard'; letter: DeadLetter; now: string }
  | { kind: 'redrive'; letter: DeadLetter; redrivenAs: string; now: string };

/**
 * A filed message is dealt with once: discarded, or (a command kept whole) sent again. The
 * event keeps what it was, never its payload. Asked again once it is dealt with (its letter
 * still there: a crash came between the record and the removal), it is done again as it was
 * recorded — no second event — so that nothing stays stuck: a discard removes the letter, a
 * redrive sends the command under the id it was recorded with (deduplicated) and removes it.
 */
export const deadLetterDecider: Decider<DeadLetterState, DeadLetterCommand, DeadLetterEvent> = {
  initialState: () => ({}),
  evolve: (_state, event) => (event.type === DeadLetterRedriven.type ? { settled: 'redriven', redrivenAs: event.data.redrivenAs } : { settled: 'discarded' }),
  decide(command, state) {
    const { sequence, subject, reason, deliveries, deadAt, commandId } = command.letter;
    if (command.kind === 'discard') {
      if (state.settled) return [];
      // A message dead-lettered for its id (a NUL in it, say) keeps it out of the log, which could not store it.
      return [{ type: DeadLetterDiscarded.type, data: { sequence, subject, reason, deliveries, deadAt, ...(isCommandId(commandId) ? { commandId } : {}), discardedAt: command.now } }];
    }
    if (state.settled === 'discarded') throw new DomainError('not-found', `dead letter ${sequence} was discarded`, 'sequence');
    if (state.settled === 'redriven') return [];
    const why = unredrivable(command.letter);
    if (why) throw new DomainError('invalid', `dead letter ${sequence} cannot be sent again: ${why}`, 'sequence');
    return [{ type: DeadLetterRedriven.type, data: { sequence, subject, reason, deliveries, deadAt, commandId: commandId!, redrivenAs: command.redrivenAs, redrivenAt: command.now } }];
  },
};

/** Why a letter cannot be sent again, if it cannot. */
function unredrivable(letter: DeadLetter): string | undefined {
  if (!letter.subject.startsWith('cmd.')) return `it is an event (${letter.subject}), which its consumers are given again only by the relay`;
  if (!definedCommandSubjects().includes(letter.subject)) return `no command of this version is on ${letter.subject} (mistyped, or one another version defines), and COMMANDS takes none: discard it, or send it again from a version that defines it`;
  if (letter.undecodableBytes !== undefined) return 'its body is not JSON';
  if (!isCommandId(letter.commandId)) return 'it has no command id';
  if (!letter.redrivable) return 'it was kept without its secret values (or by a Slipway that did not mark what it kept whole); send the command again yourself';
  return undefined;
}
