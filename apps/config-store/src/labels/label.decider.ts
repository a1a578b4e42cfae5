import { DomainError, DefaultLabelsUpdated, quoted, LabelsBound, ObjectBindingsDeleted, type LabelEvent } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';
import type { Misfit } from '../model/config-command';

export type LabelCommand =
  | { kind: 'bind'; labels: string[]; objects: string[]; now: string; labelsNamingObjects?: string[]; misfit?: Misfit }
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
        // A patch's target names an object or a label alike: such a label would take the object's patches to every object bound to it.
        const taken = command.labelsNamingObjects?.find((label) => command.objects.some((objectName) => objectName !== label));
        if (taken !== undefined) {
          throw new DomainError('invalid', `label ${quoted(taken)} is the name of an object: a patch targeting ${quoted(taken)} is that object's, and would reach every object bound to the label; name the label otherwise`, 'label');
        }
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
