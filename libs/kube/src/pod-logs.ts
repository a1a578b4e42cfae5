import type { LogOptions } from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type { KubeClient } from './kube-client';
import { failed, ok, type KubeResult } from './kube-error';
import type { KubeRequest } from './kube-http';
import { thrownError } from './status-error';

export interface ContainerRef {
  namespace: string;
  pod: string;
  container: string;
}

export type PodLogOptions = Pick<LogOptions, 'tailLines' | 'sinceSeconds' | 'sinceTime' | 'timestamps' | 'previous' | 'limitBytes'>;

/**
 * The log endpoint's request. Read through KubeHttp.openStream rather than the client's Log,
 * which keeps only the status of a refusal ("Error occurred in log request"): the caller gets
 * the API server's own words (`pods "x" not found`, `container "y" is not valid for pod "x"`),
 * shown as every refusal is (secret-looking values redacted).
 */
function logRequest(ref: ContainerRef, options: PodLogOptions, follow: boolean): Omit<KubeRequest, 'method'> {
  const query: Record<string, string | undefined> = { container: ref.container, follow: String(follow) };
  for (const [name, value] of Object.entries(options)) if (value !== undefined) query[name] = String(value);
  return { path: `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods/${encodeURIComponent(ref.pod)}/log`, query };
}

/** A container's log as it is now (no follow), as one string. */
export async function readPodLogs(client: KubeClient, ref: ContainerRef, options: PodLogOptions = {}): Promise<KubeResult<string>> {
  const opened = await client.http.openStream(logRequest(ref, options, false));
  if (!opened.ok) return failed(opened.error);
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of opened.value) chunks.push(chunk as Buffer);
    return ok(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    return failed(thrownError(error));
  }
}

/**
 * Follows a container's log line by line until `signal` aborts, the consumer stops
 * iterating, or the server ends the stream (the container exited). The request itself
 * failing (no such pod or container, forbidden) is the typed error.
 */
export async function followPodLogs(client: KubeClient, ref: ContainerRef, options: PodLogOptions & { signal?: AbortSignal } = {}): Promise<KubeResult<AsyncIterable<string>>> {
  const { signal, ...logOptions } = options;
  const controller = new AbortController();
  const opened = await client.http.openStream(logRequest(ref, logOptions, true), controller.signal);
  if (!opened.ok) return failed(opened.error);
  let stopped = false;
  // The body errors when it is aborted: our own abort ends the lines, any other error fails them.
  const sink = new PassThrough();
  opened.value.on('error', (error) => (stopped ? sink.end() : sink.destroy(error)));
  opened.value.pipe(sink);
  const stop = () => {
    stopped = true;
    controller.abort();
    sink.end();
  };
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  async function* lines(): AsyncGenerator<string> {
    try {
      yield* createInterface({ input: sink, crlfDelay: Number.POSITIVE_INFINITY });
    } finally {
      signal?.removeEventListener('abort', stop);
      stop();
    }
  }
  return ok(lines());
}
