import { FIELD_MANAGER } from './apply-object';
import type { KubeClient } from './kube-client';
import { ok, type KubeResult } from './kube-error';
import type { KubeObject } from './kube-object';

/**
 * The manager of client-side applies: `kubectl apply` without `--server-side` records its
 * fields under it, as an update. Not `before-first-apply`, which the API server gives every
 * field of an object that had no managed fields when first applied (an HPA's replicas, other
 * tools' annotations): taken over, they would be removed.
 */
const CLIENT_SIDE_MANAGER = 'kubectl-client-side-apply';

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  [field: string]: unknown;
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Two field sets (FieldsV1: a tree of `f:`, `k:`, `v:` and `i:` keys, `.` for the field itself) as one. */
function unionOf(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const union: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) union[key] = isMap(union[key]) && isMap(value) ? unionOf(union[key], value) : value;
  return union;
}

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
  const mine = entries.find((entry) => entry.manager === FIELD_MANAGER && entry.operation === 'Apply' && !entry.subresource);
  if (!mine || mine.fieldsType !== 'FieldsV1') return undefined;
  const theirs = entries.filter((entry) => isClientSide(entry, mine.apiVersion));
  if (theirs.length === 0) return undefined;
  const fieldsV1 = theirs.reduce((union, entry) => unionOf(union, entry.fieldsV1 ?? {}), mine.fieldsV1 ?? {});
  return entries.filter((entry) => !theirs.includes(entry)).map((entry) => (entry === mine ? { ...mine, fieldsV1 } : entry));
}

/**
 * Moves the fields of client-side applies to Slipway's apply on the live object (a JSON patch
 * of its managed fields, made only if the object is still at the version read). Returns the
 * object as it is after, or undefined when there were none to move: the caller applies again,
 * so that what its config leaves out goes.
 */
export async function takeOverClientSideFields(client: KubeClient, live: KubeObject): Promise<KubeResult<KubeObject | undefined>> {
  const managedFields = clientSideFieldsTakenOver(live);
  return managedFields ? replaceManagedFields(client, live, managedFields) : ok(undefined);
}

/** Sets an object's managed fields back as `before` held them, if it is still at the version `after` read. */
export function giveBackManagedFields(client: KubeClient, after: KubeObject, before: KubeObject): Promise<KubeResult<KubeObject | undefined>> {
  return replaceManagedFields(client, after, before.metadata.managedFields ?? []);
}

async function replaceManagedFields(client: KubeClient, live: KubeObject, managedFields: unknown[]): Promise<KubeResult<KubeObject>> {
  const path = await client.http.resourcePath(live, 'read');
  if (!path.ok) return path;
  return await client.http.send({
    method: 'PATCH', path: path.value, contentType: 'application/json-patch+json',
    body: JSON.stringify([
      { op: 'test', path: '/metadata/resourceVersion', value: live.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/managedFields', value: managedFields },
    ]),
  }) as KubeResult<KubeObject>;
}
