import {
  BaseConfigsUploaded, BaseImageUpdated, DefaultLabelsUpdated, DeploymentManagerSetUp, LabelsBound, ObjectBindingsDeleted,
  PatchDeleted, PatchesApplied, type EventDataOf,
} from '@slipway/contracts';
import type { RecordedEvent, Sql } from '@slipway/event-log';
import { NO_OBJECT, named, union, type Affected } from './affected';
import { objectsOfPatchedKinds, reachedBy, reachedByPatches } from './objects-reached';

/** Events that change what materialization reads (bases, live patches, label bindings). */
export const MATERIAL_TYPES: readonly string[] = [BaseConfigsUploaded.type, BaseImageUpdated.type, PatchesApplied.type, PatchDeleted.type,
  LabelsBound.type, ObjectBindingsDeleted.type, DefaultLabelsUpdated.type, DeploymentManagerSetUp.type];

async function affectedByEvent(sql: Sql, event: RecordedEvent): Promise<Affected> {
  switch (event.type) {
    case BaseConfigsUploaded.type:
      return named((event.data as EventDataOf<typeof BaseConfigsUploaded>).documents.map((d) => d.objectName));
    case BaseImageUpdated.type:
      return named([(event.data as EventDataOf<typeof BaseImageUpdated>).objectName]);
    case PatchesApplied.type:
      return reachedBy(sql, (event.data as EventDataOf<typeof PatchesApplied>).patches.map((p) => p.target));
    case PatchDeleted.type:
      return reachedByPatches(sql, [(event.data as EventDataOf<typeof PatchDeleted>).version]);
    case LabelsBound.type:
      return named((event.data as EventDataOf<typeof LabelsBound>).pairs.map((p) => p.objectName));
    case ObjectBindingsDeleted.type:
      return named([(event.data as EventDataOf<typeof ObjectBindingsDeleted>).objectName]);
    case DefaultLabelsUpdated.type:
    case DeploymentManagerSetUp.type:
      return objectsOfPatchedKinds(sql);
    default:
      return NO_OBJECT;
  }
}

/**
 * The objects one command's events can have changed. Read after the events are written:
 * a patch reaches the objects bound to its label at materialization time, and an object
 * whose bindings the same command changed is named by that change.
 */
export async function affectedBy(sql: Sql, events: readonly RecordedEvent[]): Promise<Affected> {
  const parts: Affected[] = [];
  for (const event of events) parts.push(await affectedByEvent(sql, event));
  return union(parts);
}
