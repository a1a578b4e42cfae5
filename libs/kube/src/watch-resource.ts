import { Watch } from '@kubernetes/client-node';
import { AsyncQueue } from './async-queue';
import type { KubeClient } from './kube-client';
import { refusalError, unwrap, type KubeError } from './kube-error';
import type { KubeObject } from './kube-object';
import { listObjects } from './read-object';
import { backoffDelay, retryTransient, sleep, type RetryPolicy } from './retry';
import { diffAgainstList, remember, type WatchEvent } from './watch-event';

export interface WatchTarget {
  apiVersion: string;
  kind: string;
  /** Omit for all namespaces (or a cluster-scoped kind). */
  namespace?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
  /**
   * How long the server keeps one watch request open before the loop resumes with a new
   * one; by default 5-10 minutes, spread at random like client-go's reflector.
   */
  sessionSeconds?: number;
  /** Backoff between failed attempts (forever: a watch outlives outages); attempts is unused. */
  backoff?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
}

type Line = { type: string; object: KubeObject & { code?: number } };

const QUIET_SESSION_MS = 150_000;
/** HTTP statuses a watch request is refused with that retrying cannot fix (a 401 can: credentials are refreshed). */
const FINAL_STATUSES = new Set([403, 404]);

/**
 * An informer loop as an async iterable: list, then watch from the list's resourceVersion;
 * resume from the last version seen after any disconnect (apiserver restart, timeout),
 * relist on 410 Gone and deliver the difference, back off after failures. Only errors that
 * retrying cannot fix (forbidden, invalid kind, no such resource) end it, by throwing the
 * typed failure as `unwrap` does (an Error whose `kubeError` is final, in the API server's
 * words), whether the list or the watch was refused. Stop it with `signal` or by leaving the
 * `for await` loop.
 */
export async function* watchResource<T extends KubeObject = KubeObject>(client: KubeClient, target: WatchTarget, options: WatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
  const { signal, labelSelector, fieldSelector } = options;
  const backoff = options.backoff ?? { baseDelayMs: 200, maxDelayMs: 5_000 };
  const forever: RetryPolicy = { ...backoff, attempts: Number.POSITIVE_INFINITY, signal };
  const ref = { apiVersion: target.apiVersion, kind: target.kind, metadata: { namespace: target.namespace } };
  const found = await retryTransient(() => client.http.resourcePath(ref, 'list'), forever);
  if (signal?.aborted) return;
  const path = unwrap(found);
  const query = { allowWatchBookmarks: true, labelSelector, fieldSelector };
  const known = new Map<string, T>();
  let resourceVersion: string | undefined;
  let failures = 0;
  while (!signal?.aborted) {
    if (resourceVersion === undefined) {
      const result = await retryTransient(() => listObjects<T>(client, ref, { labelSelector, fieldSelector, retry: { ...forever, attempts: 1 } }), forever);
      if (signal?.aborted) return;
      // A long list whose continue token expired meanwhile (410) is listed again from the start;
      // so is one that got no answer within its bound (retryTransient leaves those to the
      // caller: a server failing over can hold a kept-alive connection that never answers).
      if (!result.ok && ((result.error.kind === 'other' && result.error.status === 410) || result.error.kind === 'transient')) {
        failures++;
        await sleep(backoffDelay(Math.min(failures, 10), backoff), signal);
        continue;
      }
      const listed = unwrap(result);
      yield* diffAgainstList(known, listed.items);
      resourceVersion = listed.metadata.resourceVersion ?? '';
      yield { type: 'SYNCED', resourceVersion };
      // Stopped by whoever took the SYNCED: no session to open (its listener would never fire).
      if (signal?.aborted) return;
    }
    const queue = new AsyncQueue<Line>();
    const started = Date.now();
    let delivered = 0;
    // Listening before the request: a stop while it connects ends the session as soon as
    // the request returns, rather than going unheard until an event or the session's end.
    const stop = () => queue.end();
    signal?.addEventListener('abort', stop, { once: true });
    const watcher = new Watch(client.config);
    // The client ends a session silent for this long; a quiet watch hears only bookmarks,
    // about one a minute, so a shorter silence (the client's default is 30 s) would end
    // every quiet session before its first bookmark and leave resourceVersion to go stale.
    (watcher as unknown as { requestTimeoutMs: number }).requestTimeoutMs = QUIET_SESSION_MS; // a plain field, typed private
    let controller: AbortController | undefined;
    let outcome: 'closed' | 'failed' | 'gone' = 'closed';
    try {
      // Inside the try: preparing credentials (an exec plugin, a token refresh) can fail
      // before the request, as the connection can; both are retried.
      controller = await watcher.watch(
        path,
        { ...query, resourceVersion, timeoutSeconds: options.sessionSeconds ?? Math.round(300 + Math.random() * 300) },
        (type, object) => queue.push({ type, object }),
        (error) => queue.end(error && (error as Error).name !== 'TimeoutError' ? error : undefined),
      );
      for (let line = await queue.take(); line; line = await queue.take()) {
        if (line.type === 'BOOKMARK') resourceVersion = line.object.metadata.resourceVersion ?? resourceVersion;
        else if (line.type === 'ERROR') {
          outcome = line.object.code === 410 ? 'gone' : 'failed';
          break;
        } else {
          const event = { type: line.type, object: line.object } as WatchEvent<T>;
          remember(known, event);
          resourceVersion = line.object.metadata.resourceVersion ?? resourceVersion;
          delivered++;
          yield event;
        }
      }
    } catch (error) {
      // Refused before it began (410 as the HTTP status), or the stream broke (connection
      // refused, reset): resume from resourceVersion after a backoff. A refusal no retry
      // changes (no access, no such kind) ends the watch, as it ends the list.
      // It ends typed, as a refused list does (unwrap), with the API server's message.
      const status = (error as { statusCode?: number }).statusCode;
      const refusal = status !== undefined && FINAL_STATUSES.has(status) ? await refusalOf(client, path, { ...query, resourceVersion }) : undefined;
      if (refusal) throw refusalError(refusal);
      outcome = status === 410 ? 'gone' : 'failed';
    } finally {
      signal?.removeEventListener('abort', stop);
      controller?.abort();
    }
    if (outcome === 'gone') resourceVersion = undefined; // too old to resume: relist, then watch again
    // A session that ends at once with nothing delivered is a failure too, or a server that
    // closes watches immediately would be hammered in a tight loop.
    // A 410 after a session that ran relists at once; one at once, again and again, is backed off as well.
    failures = outcome === 'failed' || (delivered === 0 && Date.now() - started < 1_000) ? failures + 1 : 0;
    if (failures > 0) await sleep(backoffDelay(Math.min(failures, 10), backoff), signal);
  }
}

/**
 * A watch refused for good, in the API server's words: the client's Watch keeps only the
 * status of a refusal, so the request is asked once more and its Status read. Undefined when
 * it is taken this time or refused for a reason a retry may change (the refusal passed
 * meanwhile: the loop goes on).
 */
async function refusalOf(client: KubeClient, path: string, query: Record<string, string | boolean | undefined>): Promise<KubeError | undefined> {
  const stop = new AbortController();
  const bound = setTimeout(() => stop.abort(), 10_000);
  try {
    const strings = Object.fromEntries(Object.entries(query).map(([name, value]) => [name, value === undefined ? undefined : String(value)]));
    const asked = await client.http.openStream({ path, query: { ...strings, watch: 'true', timeoutSeconds: '1' } }, stop.signal);
    if (asked.ok) asked.value.destroy();
    else if (asked.error.kind === 'forbidden' || asked.error.kind === 'not-found') return asked.error;
    return undefined;
  } finally {
    clearTimeout(bound);
    stop.abort();
  }
}
