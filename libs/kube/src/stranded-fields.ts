import { fieldSetOf, holds, isMap, isReplicas, mapFieldPaths, owns, unionOf, type FieldPath } from './fields-v1';
import type { KubeObject } from './kube-object';
import { fieldsTakenFrom, slipwayApplyOf, withFieldsOfSlipway, type ManagedFieldsEntry } from './managed-fields';

/**
 * The fields Slipway's last apply set that its config leaves out now, and that its apply does
 * not remove because they are not its own: someone changed them since (`kubectl edit`,
 * `kubectl annotate`, any update by hand, which takes a field from the applier), or nobody
 * owns them (a Secret's `data` keys Slipway sent as `stringData` before it sent `data`: the
 * API server records the apply owning `stringData` keys, which are never stored). Left so,
 * they stay in the cluster for good, and drift, which compares what is applied, never shows
 * them; `kubectl apply` and Helm remove what the last configuration set and the new one does
 * not, whoever changed it since. Returns the object's managed fields with those fields moved
 * to Slipway's apply (whose next apply then removes them), or undefined when there are none.
 *
 * Only kubectl's edits give fields up (`kubectl-edit`, `-patch`, `-label`, `-annotate`, `-set`,
 * as Flux takes over): a controller's updates (cert-manager's CA bundle, a finalizer, a
 * volume's claim), Helm's, what an object had before Slipway first applied it, and another
 * applier's fields are their own to keep, and a subresource's (an autoscaler's or `kubectl
 * scale`'s replicas, a status) are not the object's. Never `spec.replicas`: left out of a
 * config (a size preset for an autoscaled workload), it is the autoscaler's to set, and
 * taken, it would fall to 1 until the autoscaler acts.
 * `previous` is the manifest as last applied (secret values as digests: only which fields it
 * sets counts), `next` the one just applied, `live` the object after it. A list element is
 * found by the key its field set names, as given: one whose key fields the API server
 * defaulted (a port's protocol) is not found, and stays.
 */
export function strandedFieldsTakenOver(entries: ManagedFieldsEntry[], live: KubeObject, previous: unknown, next: KubeObject): ManagedFieldsEntry[] | undefined {
  const mine = slipwayApplyOf(entries);
  // Another kind, or version, under the name: its fields are named otherwise.
  if (!mine || !isMap(previous) || previous.kind !== next.kind || previous.apiVersion !== next.apiVersion) return undefined;
  const stranded = (path: FieldPath) => holds(previous, path) && !holds(next, path) && holds(live, path);
  // A map is looked into, for what this manager set in it besides (an annotation added by hand
  // beside one Slipway set); a field owned whole, or a list element, is taken whole.
  const { left, taken } = fieldsTakenFrom(entries, (entry) => isKubectlEdit(entry) && entry.fieldsType === 'FieldsV1' && entry.apiVersion === mine.apiVersion,
    (path, below) => stranded(path) && (!path.at(-1)!.startsWith('f:') || !isMap(below) || Object.keys(below).length === 0));
  let moved = taken;
  // Owned by any manager still (a subresource's too: an autoscaler's replicas), a field is not
  // stranded; nor, unowned, are replicas (fieldsTakenFrom says why).
  const owned = left.filter((entry) => entry !== mine && entry.fieldsV1);
  for (const path of mapFieldPaths(previous)) {
    if (!isReplicas(path) && stranded(path) && !owns(moved, path) && !owned.some((entry) => owns(entry.fieldsV1!, path))) moved = unionOf(moved, fieldSetOf(path));
  }
  return Object.keys(moved).length > 0 ? withFieldsOfSlipway(left, mine, moved) : undefined;
}

const isKubectlEdit = (entry: ManagedFieldsEntry): boolean =>
  entry.operation === 'Update' && !entry.subresource && typeof entry.manager === 'string' && entry.manager.startsWith('kubectl-');
