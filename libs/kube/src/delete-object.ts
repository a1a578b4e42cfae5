import type { KubeClient } from './kube-client';
import { ok, type KubeResult } from './kube-error';
import type { KubeObjectRef } from './kube-object';
import { retryTransient, type RetryPolicy } from './retry';

export interface DeleteOptions {
  /** Delete only the object with this uid. */
  uid?: string;
  /** Only ask whether the API server would delete it (authorization, admission), deleting nothing. */
  dryRun?: boolean;
  retry?: RetryPolicy;
}

/**
 * Deletes an object with background propagation (dependents are collected by the garbage
 * collector). Deleting what is already gone succeeds: the caller's intent holds.
 *
 * With `uid`, only that object is deleted (a precondition the API server checks): one
 * made since under the same name (a StatefulSet's replacement pod, a job created again)
 * answers 409, which means the one meant is gone, so it succeeds too and is left alone.
 */
export async function deleteObject(client: KubeClient, ref: KubeObjectRef, options: DeleteOptions = {}): Promise<KubeResult<void>> {
  const body = options.uid === undefined ? undefined
    : JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', preconditions: { uid: options.uid } });
  const query = { propagationPolicy: 'Background', dryRun: options.dryRun ? 'All' : undefined };
  const result = await retryTransient(async () => {
    const path = await client.http.resourcePath(ref, 'read');
    if (!path.ok) return path;
    return client.http.send({ method: 'DELETE', path: path.value, query, body });
  }, options.retry);
  if (result.ok || result.error.kind === 'not-found') return ok(undefined);
  return options.uid !== undefined && result.error.kind === 'conflict' ? ok(undefined) : result;
}
