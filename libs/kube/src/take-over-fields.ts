import { clientSideFieldsTakenOver } from './client-side-fields';
import type { KubeClient } from './kube-client';
import { ok, type KubeResult } from './kube-error';
import type { KubeObject } from './kube-object';
import type { ManagedFieldsEntry } from './managed-fields';
import { findObject } from './read-object';
import { strandedFieldsTakenOver } from './stranded-fields';

/**
 * Moves to Slipway's apply, on the live object, the fields its next apply must own to make
 * the object what `next` says: those of client-side applies (client-side-fields.ts) and those
 * stranded since its last apply (stranded-fields.ts). A JSON patch of the managed fields,
 * made only if the object is still at the version read: a controller that wrote meanwhile (a
 * Deployment's status, a moment after its template changed) has it read again and tried
 * anew, five times in all, a moment apart, as the next push would not find the fields
 * stranded were this one recorded applied (the caller reports the object failed then).
 * Returns the object as it was read (`before`) and as it is after, or undefined when there
 * were none to move: the caller applies again, so what the config leaves out goes.
 */
export async function takeOverFields(
  client: KubeClient, live: KubeObject, previous: unknown, next: KubeObject,
): Promise<KubeResult<{ before: KubeObject; after: KubeObject } | undefined>> {
  let read = live;
  for (let attempt = 1; ; attempt++) {
    const managedFields = fieldsToTakeOver(read, previous, next);
    if (!managedFields) return ok(undefined);
    const moved = await replaceManagedFields(client, read, managedFields);
    if (moved.ok) return ok({ before: read, after: moved.value });
    if (attempt === TAKE_OVER_TRIES) return moved;
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    const again = await findObject(client, read);
    if (!again.ok) return again;
    if (!again.value) return ok(undefined);
    read = again.value;
  }
}

const TAKE_OVER_TRIES = 5;

function fieldsToTakeOver(live: KubeObject, previous: unknown, next: KubeObject): ManagedFieldsEntry[] | undefined {
  const clientSide = clientSideFieldsTakenOver(live);
  const entries = clientSide ?? live.metadata.managedFields ?? [];
  return strandedFieldsTakenOver(entries, live, previous, next) ?? clientSide;
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
