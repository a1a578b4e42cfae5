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
  /**
   * Opt-in: keep the folded state of each stream now and then (see snapshots.ts), so a
   * command reads the events after the last snapshot instead of the stream's whole history.
   */
  snapshots?: SnapshotPolicy<State>;
}

/** Any decider, whatever its state, command and event types (for code that only folds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDecider = Decider<any, any, NewEvent>;

export interface SnapshotPolicy<State> {
  /** Names the decider's state among the snapshots of a stream. */
  name: string;
  /**
   * The shape of the state and the meaning of `evolve`: bump it whenever either changes.
   * A snapshot of another version is ignored (the stream is folded from its start) and
   * replaced by the next command.
   */
  version: number;
  /** How many events a stream may gain after its snapshot before a new one is kept (default 32). */
  every?: number;
  /**
   * Keep the latest fold of each stream in the process's memory and read only the events
   * after it (remembered-folds.ts), for a state of many MB; its snapshots are written after
   * the command is committed and answered, not in its transaction. Its evolve must make a new
   * state, never change the one it is given: the remembered state is frozen.
   */
  remember?: boolean;
  /** The state as JSON (default: the state itself, which must then be JSON-safe). */
  encode?(state: State): unknown;
  /** The inverse of `encode`. */
  decode?(json: unknown): State;
}

export function fold<State, Event extends NewEvent>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>, events: Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
