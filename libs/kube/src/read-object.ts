import type { KubeClient } from './kube-client';
import { ok, type KubeResult } from './kube-error';
import type { KubeList, KubeObject, KubeObjectRef } from './kube-object';
import { retryTransient, type RetryPolicy } from './retry';

/** The live object, or `not-found`. */
export async function getObject<T extends KubeObject = KubeObject>(client: KubeClient, ref: KubeObjectRef, retry?: RetryPolicy): Promise<KubeResult<T>> {
  return retryTransient(async () => {
    const path = await client.http.resourcePath(ref, 'read');
    if (!path.ok) return path;
    return (await client.http.send({ method: 'GET', path: path.value })) as KubeResult<T>;
  }, retry);
}

/** The live object, `undefined` when there is none (health calls that Missing). */
export async function findObject<T extends KubeObject = KubeObject>(client: KubeClient, ref: KubeObjectRef, retry?: RetryPolicy): Promise<KubeResult<T | undefined>> {
  const found = await getObject<T>(client, ref, retry);
  return !found.ok && found.error.kind === 'not-found' ? ok(undefined) : found;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  retry?: RetryPolicy;
}

/**
 * All objects of a kind in a namespace (or cluster-wide without one), each with its kind
 * and apiVersion, following `continue`
 * pages; the list's resourceVersion is the one watches resume from. Each page is retried on
 * its own, so the pages belong to one consistent snapshot unless the token expires (410).
 */
export async function listObjects<T extends KubeObject = KubeObject>(client: KubeClient, ref: KubeObjectRef, options: ListOptions = {}): Promise<KubeResult<KubeList<T>>> {
  const path = await retryTransient(() => client.http.resourcePath({ ...ref, metadata: { namespace: ref.metadata.namespace } }, 'list'), options.retry);
  if (!path.ok) return path;
  const items: T[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await retryTransient(async () => (await client.http.send({
      method: 'GET',
      path: path.value,
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: '500', continue: token },
    })) as KubeResult<KubeList<T>>, options.retry);
    if (!page.ok) return page;
    // The API server leaves kind and apiVersion off a list's items; they are the list's.
    items.push(...(page.value.items ?? []).map((item) => ({ ...item, apiVersion: item.apiVersion ?? ref.apiVersion, kind: item.kind ?? ref.kind })));
    token = page.value.metadata?.continue || undefined;
    if (!token) return ok({ items, metadata: { resourceVersion: page.value.metadata?.resourceVersion } });
  }
}
