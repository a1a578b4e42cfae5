import type { NewEvent } from './types';

/**
 * Business rules as pure functions: fold past events into state, decide new events from
 * a command and that state. Time and ids come from the command, never from the clock.
 * `decide` throws a DomainError to refuse.
 */
export interface Decider<State, Command, Event extends NewEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

export function fold<State, Event extends NewEvent>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>, events: Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
