import { DatabaseSetUp, DeploymentManagerSetUp, DomainError, type SetupEvent } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

export interface SetupState {
  setUp: boolean;
  database: boolean;
}
export type SetupCommand =
  | { kind: 'set-up'; now: string }
  | { kind: 'set-up-database'; options: Record<string, unknown>; now: string };

export const setupDecider: Decider<SetupState, SetupCommand, SetupEvent> = {
  initialState: () => ({ setUp: false, database: false }),
  evolve(state, event) {
    switch (event.type) {
      case DeploymentManagerSetUp.type: return { ...state, setUp: true };
      case DatabaseSetUp.type: return { ...state, database: true };
    }
  },
  decide(command, state) {
    switch (command.kind) {
      case 'set-up':
        // Setting up again re-checks the default labels and is otherwise harmless.
        return [{ type: DeploymentManagerSetUp.type, data: { setUpAt: command.now } }];
      case 'set-up-database':
        if (state.database) throw new DomainError('already-exists', 'Tables have already been set up');
        return [{ type: DatabaseSetUp.type, data: { options: command.options, setUpAt: command.now } }];
    }
  },
};
