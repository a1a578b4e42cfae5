import type { KubeObject } from './kube-object';
import { fieldsTakenFrom, slipwayApplyOf, withFieldsOfSlipway, type ManagedFieldsEntry } from './managed-fields';

/**
 * The manager of client-side applies: `kubectl apply` without `--server-side` records its
 * fields under it, as an update. Not `before-first-apply`, which the API server gives every
 * field of an object that had no managed fields when first applied (an HPA's replicas, other
 * tools' annotations): taken over, they would be removed.
 */
const CLIENT_SIDE_MANAGER = 'kubectl-client-side-apply';

const isClientSide = (entry: ManagedFieldsEntry, apiVersion: string | undefined): boolean =>
  entry.manager === CLIENT_SIDE_MANAGER && entry.operation === 'Update' && !entry.subresource && entry.fieldsType === 'FieldsV1' && entry.apiVersion === apiVersion;

/**
 * The object's managed fields with those of client-side applies moved to Slipway's apply
 * (as `kubectl apply --server-side` migrates them, kubectl's csaupgrade), or undefined when
 * it has none. Left with kubectl's manager, a field that a config adopting the object leaves
 * out would stay for good: server-side apply removes only the fields the applier owned.
 */
export function clientSideFieldsTakenOver(live: KubeObject): ManagedFieldsEntry[] | undefined {
  const entries = live.metadata.managedFields ?? [];
  const mine = slipwayApplyOf(entries);
  if (!mine) return undefined;
  // All their fields but what fieldsTakenFrom keeps (replicas).
  const { left, taken } = fieldsTakenFrom(entries, (entry) => isClientSide(entry, mine.apiVersion), () => true);
  return Object.keys(taken).length > 0 ? withFieldsOfSlipway(left, mine, taken) : undefined;
}
