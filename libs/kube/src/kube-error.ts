/**
 * Kubernetes failures as values (the backstage way): callers switch on `kind` and never
 * see an HTTP exception. `transient` is the only kind the port retries by itself.
 */
export interface FieldConflict {
  /** The conflicting field path as the API server reports it, e.g. `.spec.replicas`. */
  field: string;
  /** The field manager that owns the field, e.g. `kubectl` or `other`. */
  manager: string;
  /** The server's own wording for this cause. */
  message: string;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
  /** The API server refused a change to a field it keeps immutable (read from the raw message, before any redaction). */
  immutable?: true;
}

export type KubeError =
  | { kind: 'not-found'; message: string }
  | { kind: 'conflict'; message: string; conflicts: FieldConflict[] }
  | { kind: 'invalid'; message: string; causes: StatusCause[] }
  | { kind: 'forbidden'; message: string }
  /** `timedOut`: no answer within the request's bound (KubeHttp), not retried in place: the command is. */
  | { kind: 'transient'; message: string; status?: number; retryAfterMs?: number; timedOut?: true }
  | { kind: 'other'; message: string; status?: number };

export type KubeErrorKind = KubeError['kind'];

/**
 * The API server not there or not taking requests now: no answer, a refused or lost
 * connection, 429, or a 502/503/504 from it or a proxy before it. What is waited out in
 * place. A 500 is its answer about the request (an admission webhook failing closed, an
 * object too large): retried a few times by the port, then the request's failure.
 */
export function isOutage(error: KubeError): boolean {
  return error.kind === 'transient' && (error.status === undefined || [429, 502, 503, 504].includes(error.status));
}

export type KubeResult<T> = { ok: true; value: T } | { ok: false; error: KubeError };

export const ok = <T>(value: T): KubeResult<T> => ({ ok: true, value });
export const failed = <T = never>(error: KubeError): KubeResult<T> => ({ ok: false, error });

/** The value of a result, or an Error carrying the typed failure (for scripts and tests). */
export function unwrap<T>(result: KubeResult<T>): T {
  if (result.ok) return result.value;
  throw refusalError(result.error);
}

/** A typed failure as a thrown Error (`kubeError` holds it): what `unwrap` throws, and a watch refused for good. */
export function refusalError(error: KubeError): Error & { kubeError: KubeError } {
  return Object.assign(new Error(`${error.kind}: ${error.message}`), { kubeError: error });
}
