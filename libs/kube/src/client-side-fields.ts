import { FIELD_MANAGER } from './apply-object';
import { isReplicas, splitFields, unionOf } from './fields-v1';
import type { KubeObject } from './kube-object';

/**
 * The manager of client-side applies: `kubectl apply` without `--server-side` records its
 * fields under it, as an update. Not `before-first-apply`, which the API server gives every
 * field of an object that had no managed fields when first applied (an HPA's replicas, other
 * tools' annotations): taken over, they would be removed.
 */
const CLIENT_SIDE_MANAGER = 'kubectl-client-side-apply';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Slipway's apply among an object's managed fields, when it holds a field set. */
export const slipwayApplyOf = (entries: ManagedFieldsEntry[]): ManagedFieldsEntry | undefined =>
  entries.find((entry) => entry.manager === FIELD_MANAGER && entry.operation === 'Apply' && !entry.subresource && entry.fieldsType === 'FieldsV1');

const isClientSide = (entry: ManagedFieldsEntry, apiVersion: string | undefined): boolean =>
  entry.manager === CLIENT_SIDE_MANAGER && entry.operation === 'Update' && !entry.subresource && entry.fieldsType === 'FieldsV1' && entry.apiVersion === apiVersion;

/**
 * The object's managed fields with those of client-side applies moved to Slipway's apply
 * (as `kubectl apply --server-side` migrates them, kubectl's csaupgrade), or undefined when
 * it has none. Left with kubectl's manager, a field that a config adopting the object leaves
 * out would stay for good: server-side apply removes only the fields the applier owned.
 */
export function clientSideFieldsTakenOver(live: KubeObject): ManagedFieldsEntry[] | undefined {
  const entries = (live.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const mine = slipwayApplyOf(entries);
  if (!mine) return undefined;
  const theirs = entries.filter((entry) => isClientSide(entry, mine.apiVersion));
  if (theirs.length === 0) return undefined;
  // All but `spec.replicas`: left out of the config (an autoscaler's to set), taken it would
  // fall to 1 until the autoscaler acts; it stays kubectl's.
  const split = theirs.map((entry) => splitFields(entry.fieldsV1 ?? {}, (path) => !isReplicas(path) && !(path.length === 1 && path[0] === 'f:spec')));
  if (split.every(({ taken }) => Object.keys(taken).length === 0)) return undefined;
  const fieldsV1 = split.reduce((union, { taken }) => unionOf(union, taken), mine.fieldsV1 ?? {});
  return entries.flatMap((entry) => {
    if (entry === mine) return [{ ...mine, fieldsV1 }];
    const at = theirs.indexOf(entry);
    if (at < 0) return [entry];
    const { kept } = split[at]!;
    return Object.keys(kept).length > 0 ? [{ ...entry, fieldsV1: kept }] : [];
  });
}
