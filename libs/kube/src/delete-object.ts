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
  // All options in the body: with a body the API server reads none from the query (a
  // `dryRun=All` there beside a body deleted for real).
  const body = JSON.stringify({
    apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background',
    ...(options.uid === undefined ? {} : { preconditions: { uid: options.uid } }),
    ...(options.dryRun ? { dryRun: ['All'] } : {}),
  });
  const result = await retryTransient(async () => {
    const path = await client.http.resourcePath(ref, 'read');
    if (!path.ok) return path;
    return client.http.send({ method: 'DELETE', path: path.value, body });
  }, options.retry);
  if (result.ok || result.error.kind === 'not-found') return ok(undefined);
  return options.uid !== undefined && result.error.kind === 'conflict' ? ok(undefined) : result;
}
