import { COMMAND_ID } from '@slipway/contracts';
import type { Dialect } from '../http/dialect';
import type { QueryTaken } from '../http/query-parameters';
import type { RouteMarks } from './served-routes';

/** Any of the three headers a token may come in (auth/token-header.ts), on every route that needs one. */
export const TOKEN_HEADERS = [{ bearer: [] }, { token: [] }, { nomadToken: [] }];
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer' },
  token: { type: 'apiKey', in: 'header', name: 'Token' },
  nomadToken: { type: 'apiKey', in: 'header', name: 'X-Nomad-Token' },
};

const string = { type: 'string' };
const names = { type: 'array', items: string };

/**
 * The `data` of an Instabase write that answers what it applied (envelope.ts): its "If
 * failure" 500, and its refusals, which carry both lists empty.
 */
const APPLIED = {
  type: 'object', required: ['successful_apply', 'failed_to_apply'],
  properties: {
    successful_apply: names, failed_to_apply: names, materialized: { ...names, description: 'A Slipway addition: the objects whose materialized config changed' },
    patches_not_applied: {
      type: 'array', description: 'A Slipway addition, only when there are any: the stored patches that, after the write, do not apply to an object where they did not fail before',
      items: { type: 'object', required: ['version', 'object_name'], properties: { version: { type: 'integer' }, object_name: string } },
    },
  },
};

/** Each served dialect's error body, as http/error-shapes.ts writes it. */
export const ERROR_SCHEMAS: Partial<Record<Dialect, object>> = {
  ververica: {
    type: 'object', required: ['kind', 'apiVersion', 'statusCode', 'reason', 'message'],
    properties: { kind: { const: 'Error' }, apiVersion: { const: 'v1' }, statusCode: { type: 'integer' }, reason: string, message: string, field: string },
  },
  instabase: {
    type: 'object', required: ['statusCode', 'data', 'error'],
    properties: { statusCode: { type: 'integer' }, data: { anyOf: [{ type: 'null' }, APPLIED] }, error: string },
  },
  platform: {
    type: 'object', required: ['error'],
    properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: string, message: string, field: string } } },
  },
};

const errorSchemaName = (dialect: Dialect): string => `${dialect[0]!.toUpperCase()}${dialect.slice(1)}Error`;
export const errorSchemaComponents = (): Record<string, object> =>
  Object.fromEntries(Object.entries(ERROR_SCHEMAS).map(([dialect, schema]) => [errorSchemaName(dialect as Dialect), schema]));

const accepted = {
  description: 'Accepted, not handled within the wait bound: the outcome is read at Location (/api/v1/commands/{id})',
  headers: { Location: { schema: string } },
};

/** Issuing a token: its secret is in its answer alone, so neither retried by key nor answered 202. */
export const issuesToken = (method: string, path: string): boolean => method === 'post' && path === '/api/v1/tokens';

/**
 * What an operation may answer: its result, and the dialect's error body for each refusal a
 * request of its kind can meet. A route that asks for no token (`open`) refuses only what
 * every route refuses, and a query it does not take.
 */
export function responsesFor(dialect: Dialect, method: string, path: string, { open = false, query = [], answersApplied = false }: RouteMarks = {}): Record<string, object> {
  const ok = { description: 'The answer, in the shape the dialect\'s document defines' };
  const schema = ERROR_SCHEMAS[dialect] ? { $ref: `#/components/schemas/${errorSchemaName(dialect)}` } : undefined;
  const refused = (description: string) => ({ description, ...(schema ? { content: { 'application/json': { schema } } } : {}) });
  // Every route: another method at its path is refused naming those served there (the
  // router's 405), and a path parameter longer than the router takes, 414.
  const everyRoute = {
    405: { ...refused('The path does not serve this method'), headers: { Allow: { schema: string, description: 'The methods the path serves' } } },
    ...(path.includes('{') ? { 414: refused('A path parameter is longer than the router takes (256 characters)') } : {}),
  };
  if (open) {
    return {
      200: ok, ...(path === '/readyz' ? { 503: { description: 'Not ready: NATS is not connected' } } : {}),
      ...(query === '*' ? {} : { 400: refused('A query parameter the route does not take') }), ...everyRoute,
    };
  }
  const responses: Record<string, object> = {
    200: ok,
    400: refused('Bad input: the body names the field'), 401: refused('No token, or one not known'), 403: refused('The token lacks the capability'),
    404: refused('Nothing of that name'), 503: refused('A service or the cluster did not answer: retry shortly'), ...everyRoute,
  };
  if (path === '/api/v1/events/stream') Object.assign(responses, { 429: refused('The token holds as many open event streams on this gateway as one may') });
  if (path === '/api/v1/events') Object.assign(responses, { 429: refused('The token has as many pages of the audit log being read on this gateway as one may') });
  if (answersApplied) {
    Object.assign(responses, { 500: refused('"If failure": an object failed to apply; data lists what did (successful_apply) and what did not (failed_to_apply), error each failure\'s reason') });
  }
  if (method === 'get') {
    // A read of what a write applied (the asynchronous upload's result) answers while the write is under way.
    if (answersApplied) Object.assign(responses, { 202: { description: 'The write or its push has no outcome yet (status PENDING): ask again' } });
    return responses;
  }
  Object.assign(responses, {
    202: accepted, 409: refused('Conflicts with the current state (exists, referenced, changed since read)'),
    413: refused('The body is over the documented limit'), 415: refused('A media type or Content-Encoding that is not read'),
  });
  if (method === 'post' || method === 'put') Object.assign(responses, { 201: { description: 'Created', headers: { Location: { schema: string } } } });
  if (dialect === 'ververica') Object.assign(responses, { 422: refused('An immutable field (spec) changed') });
  // A Ververica POST only creates (201); an issue not answered in time is withdrawn (503).
  if (dialect === 'ververica' && method === 'post') delete responses[200];
  if (issuesToken(method, path)) delete responses[202];
  return responses;
}

/** The header that makes a retried write return the first outcome (http/idempotency.ts). */
export const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key', in: 'header', required: false,
  description: 'Makes a retried request return the first one\'s outcome; the same key with another body is refused 400',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

/** The header naming the chain a write's commands belong to in the log (http/command-options.ts). */
export const CORRELATION_ID = {
  name: 'X-Correlation-Id', in: 'header', required: false,
  description: 'Recorded as the correlation id of the events this request writes (and of its push): /api/v1/events?correlationId= finds them. Refused 400 when it holds a token\'s secret or reads as a secret (a value after a secret\'s name, such as db-password:x; a URL\'s password)',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: COMMAND_ID.source },
};

export const pathParameter = (name: string) => ({ name, in: 'path', required: true, schema: string });

/** A route's query parameters as its mark declares them (http/query-parameters.ts); none for one that checks its own. */
export const queryParameters = (taken: QueryTaken = []) =>
  taken === '*' ? [] : taken.map(({ name, required }) => ({ name, in: 'query', required, schema: string }));

/** The names of a templated path's parameters, in order: `/a/{x}/b/{y}` → x, y. */
export const pathParameterNames = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name!);

/** `/a/{x}/b` and `/a/{y}/b` are one path to OpenAPI: the shape both share. */
export const pathShape = (path: string): string => path.replace(/\{[^}]+\}/g, '{}');

