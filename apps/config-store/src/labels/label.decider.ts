import { DomainError, DefaultLabelsUpdated, LabelsBound, ObjectBindingsDeleted, type LabelEvent } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

export type LabelCommand =
  | { kind: 'bind'; labels: string[]; objects: string[]; now: string; misfit?: { reason: string; patch: number } }
  | { kind: 'delete-object'; objectName: string; bound: number; now: string }
  | { kind: 'update-defaults'; now: string };

/** Label bindings: every label × every object; deleting an object's bindings removes them all. */
export const labelDecider: Decider<{ events: number }, LabelCommand, LabelEvent> = {
  initialState: () => ({ events: 0 }),
  // One stream holds every binding: without snapshots each command would read all of them.
  snapshots: { name: 'labels', version: 1 },
  evolve: (state) => ({ events: state.events + 1 }),
  decide(command) {
    switch (command.kind) {
      case 'bind': {
        if (command.misfit) {
          throw new DomainError('invalid', `the binding would bring stored patch ${command.misfit.patch} to an object it does not fit, and is checked as a new patch is: ${command.misfit.reason}`, 'label');
        }
        const pairs = [...new Set(command.labels)].flatMap((label) => [...new Set(command.objects)].map((objectName) => ({ label, objectName })));
        return [{ type: LabelsBound.type, data: { pairs, boundAt: command.now } }];
      }
      case 'delete-object':
        return command.bound === 0 ? [] : [{ type: ObjectBindingsDeleted.type, data: { objectName: command.objectName, deletedAt: command.now } }];
      case 'update-defaults':
        return [{ type: DefaultLabelsUpdated.type, data: { updatedAt: command.now } }];
    }
  },
};
