import { bounded, quoted, type ErrorCode, type SlipwayError } from '@slipway/contracts';
import type { Dialect } from './dialect';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'already-exists': 409,
  referenced: 409,
  conflict: 409,
  immutable: 422,
  unavailable: 503,
  limited: 429,
  internal: 500,
};

const REASON_BY_STATUS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable', 408: 'RequestTimeout',
  409: 'Conflict', 411: 'LengthRequired', 413: 'PayloadTooLarge', 414: 'URITooLong', 415: 'UnsupportedMediaType', 417: 'ExpectationFailed', 422: 'Invalid',
  429: 'TooManyRequests', 431: 'RequestHeaderFieldsTooLarge', 500: 'InternalError', 501: 'NotImplemented', 503: 'ServiceUnavailable', 505: 'HTTPVersionNotSupported',
};

/**
 * Each dialect's error body, in one place (see docs/api-dialects.md for the sources).
 * `error` never carries a stack or an internal message: only what the client can act on.
 * `data`: what the route's own failure shape holds there (route-marks.ts), else null.
 */
export function errorBody(dialect: Dialect, status: number, refusal: SlipwayError, data?: Record<string, unknown>): unknown {
  const error = bounded(refusal);
  const field = error.field ? { field: error.field } : {};
  switch (dialect) {
    case 'ververica':
      return { kind: 'Error', apiVersion: 'v1', statusCode: status, reason: REASON_BY_STATUS[status] ?? 'Error', message: error.message, ...field };
    case 'instabase':
      return { statusCode: status, data: data ?? null, error: error.message };
    case 'ote':
      return { code: status, message: error.message, data: null, total: 0 };
    case 'datacater':
      return { status, error: REASON_BY_STATUS[status] ?? 'Error', message: error.message, ...field };
    case 'nomad':
      return error.message;
    case 'platform':
      return { error: { code: error.code, message: error.message, ...field } };
  }
}

/** The 202 answer when a command is accepted but not yet handled, in each dialect's envelope. */
export function acceptedBody(dialect: Dialect, accepted: { commandId: string; statusUrl: string; data?: Record<string, unknown> }, routeData?: Record<string, unknown>): unknown {
  const data = { commandId: accepted.commandId, status: 'accepted', statusUrl: accepted.statusUrl };
  switch (dialect) {
    case 'instabase':
      return { statusCode: 202, data: { ...routeData, ...accepted.data, ...data }, error: null };
    case 'ote':
      return { code: 202, message: 'accepted', data, total: 1 };
    default:
      return data;
  }
}

/**
 * What Fastify's router refuses before any route, hook or filter runs (server.ts hands it
 * here), as a Slipway error: a path whose percent-encoding does not decode, or a path
 * parameter longer than the router takes.
 */
export function routerRefusal(error: { code: string }, url: string): [number, SlipwayError] {
  // Quoted as every refusal quotes what it was sent: cut short, secrets hidden (a path may hold `password=…`).
  const path = quoted(url.split('?')[0]);
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return [400, { code: 'invalid', message: `the path ${path} has malformed percent-encoding` }];
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return [414, { code: 'invalid', message: `a segment of the path ${path} is longer than the router accepts` }];
    default:
      return [500, { code: 'internal', message: 'internal error; it has been logged' }];
  }
}
