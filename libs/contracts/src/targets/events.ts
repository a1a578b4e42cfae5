import { z } from 'zod';
import { event, type EventDataOf } from '../define';
import { annotationMap, labelMap } from '../names';
import { targetDefinition } from './target';

export const TargetCreated = event('target.created.v1', targetDefinition.extend({ id: z.uuid(), createdAt: z.string(), labels: labelMap }));
export const TargetMetadataUpdated = event('target.metadata-updated.v1', z.object({
  id: z.uuid(), labels: labelMap, annotations: annotationMap, modifiedAt: z.string(),
}));
export const TargetDeleted = event('target.deleted.v1', z.object({ id: z.uuid(), deletedAt: z.string() }));

export type TargetEvent =
  | { type: typeof TargetCreated.type; data: EventDataOf<typeof TargetCreated> }
  | { type: typeof TargetMetadataUpdated.type; data: EventDataOf<typeof TargetMetadataUpdated> }
  | { type: typeof TargetDeleted.type; data: EventDataOf<typeof TargetDeleted> };
