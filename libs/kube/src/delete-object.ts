import type { KubeClient } from './kube-client';
import { ok, type KubeResult } from './kube-error';
import type { KubeObjectRef } from './kube-object';
import { retryTransient, type RetryPolicy } from './retry';

/**
 * Deletes an object with background propagation (dependents are collected by the garbage
 * collector). Deleting what is already gone succeeds: the caller's intent holds.
 */
export async function deleteObject(client: KubeClient, ref: KubeObjectRef, retry?: RetryPolicy): Promise<KubeResult<void>> {
  const result = await retryTransient(async () => {
    const path = await client.http.resourcePath(ref, 'read');
    if (!path.ok) return path;
    return client.http.send({ method: 'DELETE', path: path.value, query: { propagationPolicy: 'Background' } });
  }, retry);
  return result.ok || result.error.kind === 'not-found' ? ok(undefined) : result;
}
