import { HttpMethod, KubernetesObjectApi, type KubeConfig, type RequestContext } from '@kubernetes/client-node';
import { apiGroupOf } from '@slipway/contracts';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { failed, ok, type KubeResult } from './kube-error';
import type { KubeObjectRef } from './kube-object';
import { withoutSentSecrets } from './sent-secrets';
import { statusError, thrownError } from './status-error';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
}

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * How long one request may take, answer included. The API server ends its own requests
 * after a minute (kube-apiserver --request-timeout); without a bound of ours, a server that
 * accepts and never answers would hold an apply for undici's five minutes.
 */
export const KUBE_REQUEST_TIMEOUT_MS = 70_000;

/**
 * The client's KubernetesObjectApi (discovery from kind to resource path, auth, TLS) minus
 * its model serializer: JSON goes out and comes back as it is. The serializer drops fields
 * it does not know, which would hide exactly the mistakes strict field validation exists
 * to report, and turns timestamps into Dates, so live objects would differ from the server's.
 */
export class KubeHttp extends KubernetesObjectApi {
  private dispatcher?: Dispatcher;
  private requestTimeoutMs = KUBE_REQUEST_TIMEOUT_MS;

  static forConfig(config: KubeConfig, requestTimeoutMs = KUBE_REQUEST_TIMEOUT_MS): KubeHttp {
    const http = config.makeApiClient(KubeHttp);
    http.setDefaultNamespace(config);
    http.requestTimeoutMs = requestTimeoutMs;
    return http;
  }

  /**
   * `/api/v1/namespaces/<ns>/configmaps[/<name>]` for an object, from discovery (the client
   * caches it, and asks again when a kind is missing from a cached group version).
   */
  async resourcePath(ref: KubeObjectRef, action: 'read' | 'list'): Promise<KubeResult<string>> {
    const name = action === 'read' ? ref.metadata.name : undefined;
    // The client lowercases the path it builds, the object's name too; names of some kinds
    // may hold capitals (RBAC's: `Reports-Reader`), so the name is put in as it is given.
    const header = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { ...ref.metadata, ...(name ? { name: 'name' } : {}) } };
    try {
      const path = await this.specUriPath(header, action);
      return ok(name ? `${path.slice(0, path.lastIndexOf('/'))}/${encodeURIComponent(name)}` : path);
    } catch (error) {
      const unknown = `the server has no resource for ${ref.apiVersion} ${ref.kind} (${isKubernetesGroup(ref.apiVersion)
        ? 'Kubernetes serves no such kind in that group version: check its spelling and version'
        : 'a custom resource needs its CustomResourceDefinition installed first'})`;
      if (error instanceof Error && error.message.startsWith('Unrecognized API version and kind')) return failed({ kind: 'invalid', message: unknown, causes: [] });
      // No such group version at all: nothing of it can exist (a read finds nothing, a
      // delete is done), and an apply says why in words rather than "404 page not found".
      if ((error as { code?: unknown }).code === 404) return failed({ kind: 'not-found', message: unknown });
      return failed(thrownError(error));
    }
  }

  async send(request: KubeRequest): Promise<KubeResult<unknown>> {
    try {
      const response = await this.exchange(request, AbortSignal.timeout(this.requestTimeoutMs), 'application/json');
      const text = await response.body.text();
      const body = text ? parseJson(text) : undefined;
      if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) return ok(body);
      // Every refusal of what Slipway sent passes here: whatever reports it later (a push's
      // outcome, a reply, a log line) gets it without the secrets it quotes back.
      return failed(withoutSentSecrets(statusError(response.httpStatusCode, body, response.headers['retry-after']), request.body));
    } catch (error) {
      if ((error as { name?: unknown }).name === 'TimeoutError') {
        return failed({ kind: 'transient', timedOut: true, message: `the Kubernetes API server did not answer ${request.method} ${request.path} within ${this.requestTimeoutMs / 1000} s` });
      }
      return failed(thrownError(error));
    }
  }

  /**
   * A GET whose answer is read as it arrives (a log, a watch): the body as a stream when the
   * API server takes the request, else its refusal typed from its Status as `send` types it,
   * message included (the client's Log and Watch drop the body of a refusal and keep only its
   * status). No bound in time: the caller's `signal` stops it; an answer that never comes
   * ends as undici's header timeout ends it.
   */
  async openStream(request: Omit<KubeRequest, 'method' | 'body' | 'contentType'>, signal?: AbortSignal): Promise<KubeResult<Readable>> {
    try {
      const response = await this.exchange({ ...request, method: 'GET' }, signal);
      if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) {
        const body = response.body.stream();
        return ok(body ? Readable.fromWeb(body as ReadableStream<Uint8Array>) : Readable.from([]));
      }
      const text = await response.body.text();
      return failed(statusError(response.httpStatusCode, text ? parseJson(text) : undefined, response.headers['retry-after']));
    } catch (error) {
      return failed(thrownError(error));
    }
  }

  /** The request sent as the client sends its own (its authentication, its middleware), on the kept connections; the answer as it comes. */
  private async exchange(request: KubeRequest, signal: AbortSignal | undefined, accept?: string) {
    let context = this.configuration.baseServer.makeRequestContext(request.path, HttpMethod[request.method]);
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) context.setQueryParam(name, value);
    if (accept) context.setHeaderParam('Accept', accept);
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(request.body);
    }
    await this.configuration.authMethods.default?.applySecurityAuthentication(context);
    this.reuseConnections(context);
    if (signal) context.setSignal(signal);
    for (const middleware of this.configuration.middleware) context = await middleware.pre(context).toPromise();
    return this.configuration.httpApi.send(context).toPromise();
  }

  /**
   * KubeConfig builds a new connection pool (undici Agent) for every request, i.e. a TLS
   * handshake per call; keeping the first one lets requests share keep-alive connections.
   */
  private reuseConnections(context: RequestContext): void {
    const fresh = context.getDispatcher();
    if (!fresh) return;
    if (this.dispatcher) context.setDispatcher(this.dispatcher);
    else this.dispatcher = fresh;
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
    this.dispatcher = undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Whether an apiVersion names a group of Kubernetes' own (the core group, `apps`, `*.k8s.io`, ...): no CustomResourceDefinition adds kinds there. */
function isKubernetesGroup(apiVersion: string): boolean {
  const group = apiGroupOf(apiVersion);
  return group === '' || group.endsWith('.k8s.io') || ['apps', 'batch', 'autoscaling', 'policy'].includes(group);
}
