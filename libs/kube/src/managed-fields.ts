import { FIELD_MANAGER } from './apply-object';
import { isReplicas, splitFields, unionOf, type FieldPath, type FieldSet } from './fields-v1';

/** One manager's entry in an object's `metadata.managedFields`. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
  [field: string]: unknown;
}

/** Slipway's apply among an object's managed fields, when it holds a field set. */
export const slipwayApplyOf = (entries: ManagedFieldsEntry[]): ManagedFieldsEntry | undefined =>
  entries.find((entry) => entry.manager === FIELD_MANAGER && entry.operation === 'Apply' && !entry.subresource && entry.fieldsType === 'FieldsV1');

/**
 * The fields `take` picks (see splitFields) out of the entries `from` picks, and the entries
 * left (an entry left with none goes). Never `spec.replicas`: once a config leaves it out it
 * is an autoscaler's to set, and moved to Slipway's apply to be removed, it would fall to 1
 * until the autoscaler acts; it stays its manager's.
 */
export function fieldsTakenFrom(
  entries: ManagedFieldsEntry[], from: (entry: ManagedFieldsEntry) => boolean, take: (path: FieldPath, below: unknown) => boolean,
): { left: ManagedFieldsEntry[]; taken: FieldSet } {
  let taken: FieldSet = {};
  const holdsReplicas = (path: FieldPath) => isReplicas(path) || (path.length === 1 && path[0] === 'f:spec');
  const left = entries.flatMap((entry) => {
    if (!from(entry) || !entry.fieldsV1) return [entry];
    const split = splitFields(entry.fieldsV1, (path, below) => !holdsReplicas(path) && take(path, below));
    if (Object.keys(split.taken).length === 0) return [entry];
    taken = unionOf(taken, split.taken);
    return Object.keys(split.kept).length > 0 ? [{ ...entry, fieldsV1: split.kept }] : [];
  });
  return { left, taken };
}

/** The entries with `fields` joined to Slipway's apply (`mine`, one of them). */
export const withFieldsOfSlipway = (entries: ManagedFieldsEntry[], mine: ManagedFieldsEntry, fields: FieldSet): ManagedFieldsEntry[] =>
  entries.map((entry) => (entry === mine ? { ...mine, fieldsV1: unionOf(mine.fieldsV1 ?? {}, fields) } : entry));
