import { Log, type LogOptions } from '@kubernetes/client-node';
import { PassThrough, type Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { KubeClient } from './kube-client';
import { failed, ok, type KubeResult } from './kube-error';
import { thrownError } from './status-error';

export interface ContainerRef {
  namespace: string;
  pod: string;
  container: string;
}

export type PodLogOptions = Pick<LogOptions, 'tailLines' | 'sinceSeconds' | 'sinceTime' | 'timestamps' | 'previous' | 'limitBytes'>;

/**
 * Where Log pipes the response body. Log does not listen for errors on that body, so an
 * abort or a broken connection would be an uncaught stream error; the 'pipe' event hands
 * us the body to listen on: our own abort ends the sink, any other error fails it.
 */
function logSink(aborted: () => boolean): PassThrough {
  const sink = new PassThrough();
  sink.once('pipe', (body: Readable) => body.on('error', (error) => (aborted() ? sink.end() : sink.destroy(error))));
  return sink;
}

/** A container's log as it is now (no follow), as one string. */
export async function readPodLogs(client: KubeClient, ref: ContainerRef, options: PodLogOptions = {}): Promise<KubeResult<string>> {
  const sink = logSink(() => false);
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  try {
    await new Log(client.config).log(ref.namespace, ref.pod, ref.container, sink, { ...options, follow: false });
    await finished;
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
  let stopped = false;
  const sink = logSink(() => stopped);
  let controller: AbortController;
  try {
    controller = await new Log(client.config).log(ref.namespace, ref.pod, ref.container, sink, { ...logOptions, follow: true });
  } catch (error) {
    return failed(thrownError(error));
  }
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
