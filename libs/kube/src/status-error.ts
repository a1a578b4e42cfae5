import type { FieldConflict, KubeError, StatusCause } from './kube-error';
import { shownMessage, withoutFieldValues } from './shown-message';

/** The parts of a `metav1.Status` body that classification reads. */
export interface StatusBody {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: StatusCause[]; retryAfterSeconds?: number };
}

const MANAGER = /conflict with "([^"]*)"/;
/**
 * How the API server says a field cannot change (`field is immutable`, `...: field is immutable except ...`),
 * read in its words, not in the value it quotes (a label refused as `Invalid value: "immutable build"`).
 */
const IMMUTABLE = /\bimmutable\b/;

// Server-side apply answers 500 when the applied object has a field its schema does not
// declare (kubernetes/kubernetes#122480, #139253; fixed to 400 only in later releases).
// Retrying cannot help: it is a refused object.
const SSA_SCHEMA_ERROR = /^failed to create typed patch object/;

/** SSA conflicts arrive as causes `{reason: FieldManagerConflict, field, message: 'conflict with "m" using v1'}`. */
export function fieldConflicts(causes: StatusCause[]): FieldConflict[] {
  return causes
    .filter((cause) => cause.reason === 'FieldManagerConflict')
    .map((cause) => ({
      field: cause.field ?? '',
      manager: cause.message?.match(MANAGER)?.[1] ?? 'unknown',
      message: cause.message ?? '',
    }));
}

function retryAfterMs(status: StatusBody, header: string | undefined): number | undefined {
  const seconds = status.details?.retryAfterSeconds ?? (header ? Number(header) : undefined);
  return seconds !== undefined && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** Maps an unsuccessful HTTP response (status code + Status body) to a typed error. */
export function statusError(httpStatus: number, body: unknown, retryAfterHeader?: string): KubeError {
  const status: StatusBody = body && typeof body === 'object' ? (body as StatusBody) : {};
  const message = shownMessage(status.message ?? (typeof body === 'string' && body ? body : `HTTP ${httpStatus}`));
  const causes = (status.details?.causes ?? []).map((cause) => (cause.message
    ? { ...cause, message: shownMessage(cause.message), ...(IMMUTABLE.test(withoutFieldValues(cause.message)) ? { immutable: true as const } : {}) }
    : cause));
  switch (true) {
    case httpStatus === 404:
      return { kind: 'not-found', message };
    case httpStatus === 409:
      return { kind: 'conflict', message, conflicts: fieldConflicts(causes) };
    // 422 is a schema/validation failure; 400 is what strict field validation answers
    // for unknown or duplicate fields. Both mean "this object is refused as written".
    case httpStatus === 422 || httpStatus === 400 || (httpStatus === 500 && SSA_SCHEMA_ERROR.test(message)):
      return { kind: 'invalid', message, causes };
    case httpStatus === 401 || httpStatus === 403:
      return { kind: 'forbidden', message };
    case httpStatus === 429 || httpStatus >= 500:
      return { kind: 'transient', message, status: httpStatus, retryAfterMs: retryAfterMs(status, retryAfterHeader) };
    default:
      return { kind: 'other', message, status: httpStatus };
  }
}

const NETWORK_CODE = /^(E[A-Z]+|EAI_AGAIN|UND_ERR_[A-Z_]+)$/; // ECONNREFUSED, ECONNRESET, EPIPE, EAI_AGAIN (DNS for now), UND_ERR_SOCKET ...

/**
 * Maps a thrown error: an ApiException carries the HTTP status; failures below HTTP
 * (refused connection, reset, timeout) are transient; anything else is a bug or a
 * request the client could not build, and retrying it would not help.
 */
export function thrownError(error: unknown): KubeError {
  const thrown = (error ?? {}) as { code?: unknown; body?: unknown; name?: string; message?: string; cause?: { code?: unknown; message?: string } };
  if (typeof thrown.code === 'number' && thrown.code >= 100) return statusError(thrown.code, thrown.body);
  const networkCode = [thrown.code, thrown.cause?.code].find((code) => typeof code === 'string' && NETWORK_CODE.test(code));
  const message = [thrown.message ?? String(error), thrown.cause?.message].filter(Boolean).join(': ');
  if (networkCode || thrown.name === 'TimeoutError') return { kind: 'transient', message: `${message} (${networkCode ?? 'timeout'})` };
  return { kind: 'other', message };
}
