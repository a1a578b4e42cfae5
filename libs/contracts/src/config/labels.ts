import { z } from 'zod';
import { command, query } from '../define';
import type { ApplyOutcome } from './base-configs';
import { objectName, resourceLabel } from './names';

/** Pairs one binding may make: each is a row and a part of the one event that records them. */
export const MAX_BOUND_PAIRS = 10_000;

const bindLabels = z.object({
  labels: z.array(resourceLabel).min(1, 'at least one label is required').max(1000),
  objects: z.array(objectName).min(1, 'at least one object_name is required').max(10_000),
}).strict().refine((b) => b.labels.length * b.objects.length <= MAX_BOUND_PAIRS, {
  // 1,000 labels × 10,000 objects made one event of ten million pairs: the config-store ran
  // out of memory deciding it, on every redelivery.
  message: `binds at most ${MAX_BOUND_PAIRS} label-object pairs at once (labels × object_names); send them in parts`, path: ['objects'],
});
/** Binds every label to every object (all pairs). */
export const BindLabels = command<typeof bindLabels, ApplyOutcome>('cmd.config.bind-labels.v1', bindLabels);

const objectKey = z.object({ object: objectName }).strict();
export const DeleteObjectBindings = command<typeof objectKey, ApplyOutcome>('cmd.config.delete-object-bindings.v1', objectKey);

const none = z.object({}).strict();
/** Binds each object to the label named after its kind, where missing. */
export const UpdateDefaultLabels = command<typeof none, ApplyOutcome>('cmd.config.update-default-labels.v1', none);

export const ListLabels = query<typeof none, string[]>('qry.config.list-labels.v1', none, { hedged: true });
const byLabel = z.object({ label: resourceLabel, mustExist: z.boolean().default(false) }).strict();
export const ObjectsByLabel = query<typeof byLabel, string[]>('qry.config.objects-by-label.v1', byLabel, { hedged: true });
export const LabelsByObject = query<typeof objectKey, string[]>('qry.config.labels-by-object.v1', objectKey, { hedged: true });
