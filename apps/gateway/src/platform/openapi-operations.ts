import { COMMAND_ID } from '@slipway/contracts';
import type { Dialect } from '../http/dialect';

/** Any of the three headers a token may come in (auth/token-header.ts), on every route that needs one. */
export const TOKEN_HEADERS = [{ bearer: [] }, { token: [] }, { nomadToken: [] }];
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer' },
  token: { type: 'apiKey', in: 'header', name: 'Token' },
  nomadToken: { type: 'apiKey', in: 'header', name: 'X-Nomad-Token' },
};

const string = { type: 'string' };

/** Each served dialect's error body, as http/error-shapes.ts writes it. */
export const ERROR_SCHEMAS: Partial<Record<Dialect, object>> = {
  ververica: {
    type: 'object', required: ['kind', 'apiVersion', 'statusCode', 'reason', 'message'],
    properties: { kind: { const: 'Error' }, apiVersion: { const: 'v1' }, statusCode: { type: 'integer' }, reason: string, message: string, field: string },
  },
  instabase: { type: 'object', required: ['statusCode', 'data', 'error'], properties: { statusCode: { type: 'integer' }, data: { type: 'null' }, error: string } },
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

/** What an operation may answer: its result, and the dialect's error body for each refusal a request of its kind can meet (`open`: a route that asks for no token, which refuses nothing). */
export function responsesFor(dialect: Dialect, method: string, path: string, open = false): Record<string, object> {
  const ok = { description: 'The answer, in the shape the dialect\'s document defines' };
  if (open) return path === '/readyz' ? { 200: ok, 503: { description: 'Not ready: NATS is not connected' } } : { 200: ok };
  const schema = ERROR_SCHEMAS[dialect] ? { $ref: `#/components/schemas/${errorSchemaName(dialect)}` } : undefined;
  const refused = (description: string) => ({ description, ...(schema ? { content: { 'application/json': { schema } } } : {}) });
  const responses: Record<string, object> = {
    200: ok,
    400: refused('Bad input: the body names the field'), 401: refused('No token, or one not known'), 403: refused('The token lacks the capability'),
    404: refused('Nothing of that name'), 503: refused('A service or the cluster did not answer: retry shortly'),
  };
  if (path === '/api/v1/events/stream') Object.assign(responses, { 429: refused('The token holds as many open event streams on this gateway as one may') });
  if (path === '/api/v1/events') Object.assign(responses, { 429: refused('The token has as many pages of the audit log being read on this gateway as one may') });
  if (method === 'get') return responses;
  Object.assign(responses, {
    202: accepted, 409: refused('Conflicts with the current state (exists, referenced, changed since read)'),
    413: refused('The body is over the documented limit'), 415: refused('A media type or Content-Encoding that is not read'),
  });
  if (method === 'post' || method === 'put') Object.assign(responses, { 201: { description: 'Created', headers: { Location: { schema: string } } } });
  if (dialect === 'ververica') Object.assign(responses, { 422: refused('An immutable field (spec) changed') });
  // A Ververica POST only creates (201); a token's secret is in its answer alone, so an issue
  // not answered in time is withdrawn (503), never 202.
  if (dialect === 'ververica' && method === 'post') delete responses[200];
  if (path === '/api/v1/tokens' && method === 'post') delete responses[202];
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

/** The names of a templated path's parameters, in order: `/a/{x}/b/{y}` → x, y. */
export const pathParameterNames = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name!);

/** `/a/{x}/b` and `/a/{y}/b` are one path to OpenAPI: the shape both share. */
export const pathShape = (path: string): string => path.replace(/\{[^}]+\}/g, '{}');

