import { IssueToken, ReadEvents, resourceName } from '@slipway/contracts';
import { z } from 'zod';
import { dialectOf } from '../http/dialect';
import {
  CORRELATION_ID, errorSchemaComponents, IDEMPOTENCY_KEY, issuesToken, pathParameter, pathParameterNames, pathShape, queryParameters, responsesFor, SECURITY_SCHEMES, TOKEN_HEADERS,
} from './openapi-operations';
import type { RouteMarks, ServedRoute } from './served-routes';

type Parameter = { name: string; in: string; [detail: string]: unknown };
type Operation = { summary: string; tags: string[]; description?: string; requestBody?: unknown; parameters?: Parameter[] };
type Paths = Record<string, Record<string, Operation>>;

/** The rule the gateway holds names to (RFC 1123 labels, case kept: the document's example is `myDeploymentTarget`). */
const name = z.toJSONSchema(resourceName);
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
/** As deployment-target.mapper.ts reads it: unknown fields refused; read-only metadata accepted (a GET sent back), resourceVersion a PUT's precondition. */
const DEPLOYMENT_TARGET = {
  type: 'object', additionalProperties: false,
  properties: {
    kind: { const: 'DeploymentTarget' }, apiVersion: { const: 'v1' },
    metadata: {
      type: 'object', additionalProperties: false,
      properties: {
        name: { ...name, description: 'Required in a POST; a PUT takes it from the path' }, namespace: { type: 'string' },
        labels: stringMap, annotations: stringMap, id: { type: 'string' }, createdAt: { type: 'string' }, modifiedAt: { type: 'string' },
        resourceVersion: { type: ['integer', 'string'], description: 'Sent with a PUT: refused 409 when the target changed since it was read' },
      },
    },
    spec: { type: ['object', 'null'], additionalProperties: false, properties: { kubernetes: { type: 'object', additionalProperties: false, properties: { namespace: { type: ['string', 'null'] } } } } },
    status: { type: 'object' },
  },
};
const targetBody = {
  required: true,
  content: Object.fromEntries(['application/json', 'application/yaml'].map((type) => [type, { schema: { $ref: '#/components/schemas/DeploymentTarget' } }])),
};
/** The audit log's filters, from the query contract itself. */
const eventFilters = (): Parameter[] => {
  const schema = z.toJSONSchema(ReadEvents.schema, { io: 'input' }) as { properties: Record<string, object> };
  // The page budget is the gateway's streams' to set: HTTP refuses it.
  return Object.entries(schema.properties).filter(([name]) => name !== 'maxBytes').map(([name, property]) => ({ name, in: 'query', required: false, schema: property }));
};

const DIALECT_DOCUMENTS: Record<string, string> = {
  ververica: 'Ververica Platform DeploymentTargets',
  instabase: 'Instabase Deployment Manager',
};

/**
 * Completes the document from the routes served: a route not described by hand is listed,
 * named after the document it comes from (whose payloads it serves verbatim; the choices are
 * in docs/api-dialects.md); one described but not served is dropped; every operation gets
 * its path parameters, the query parameters its route's mark takes (the declaration the
 * server refuses other names by), the token headers it takes (none on open routes), what it
 * answers, and on writes but a token's issue the Idempotency-Key header. Paths that differ
 * only in their parameters' names are one path to OpenAPI: the first one's names stand for both.
 */
function completeOperations(paths: Paths, served: ServedRoute[]): void {
  if (served.length > 0) {
    const routes = new Set(served.map(({ method, path }) => `${method} ${pathShape(path)}`));
    for (const [path, operations] of Object.entries(paths)) {
      for (const method of Object.keys(operations)) if (!routes.has(`${method} ${pathShape(path)}`)) delete operations[method];
      if (Object.keys(operations).length === 0) delete paths[path];
    }
  }
  const byShape = new Map(Object.keys(paths).map((path) => [pathShape(path), path]));
  for (const { method, path: servedPath } of served) {
    const path = byShape.get(pathShape(servedPath)) ?? servedPath;
    byShape.set(pathShape(path), path);
    const operations = (paths[path] ??= {});
    if (operations[method]) continue;
    const dialect = dialectOf(path);
    operations[method] = {
      summary: `${method.toUpperCase()} ${servedPath}, as the ${DIALECT_DOCUMENTS[dialect] ?? 'Slipway'} API document defines it`,
      tags: [dialect], ...(path !== servedPath ? { description: `The path's parameters are, in order: ${pathParameterNames(servedPath).join(', ')}` } : {}),
    };
  }
  // What each route says of itself in its marks (AnswersAnyone, ReadsQuery, AnswersApplied).
  const marks = new Map(served.map((route) => [`${route.method} ${pathShape(route.path)}`, route]));
  for (const [path, operations] of Object.entries(paths)) {
    const named = pathParameterNames(path).map(pathParameter);
    for (const [method, operation] of Object.entries(operations)) {
      const route: RouteMarks = marks.get(`${method} ${pathShape(path)}`) ?? {};
      const declared = new Set((operation.parameters ?? []).map((parameter) => `${parameter.in} ${parameter.name}`));
      const writes = method !== 'get';
      const parameters = [
        ...(operation.parameters ?? []), ...named.filter((parameter) => !declared.has(`path ${parameter.name}`)),
        ...queryParameters(route.query).filter((parameter) => !declared.has(`query ${parameter.name}`)),
        ...(writes && !issuesToken(method, path) ? [IDEMPOTENCY_KEY] : []), ...(writes ? [CORRELATION_ID] : []),
      ];
      Object.assign(operation, {
        ...(parameters.length ? { parameters } : {}),
        security: route.open ? [] : TOKEN_HEADERS,
        responses: responsesFor(dialectOf(path), method, path, route),
      });
    }
  }
}

/** The served surface: hand-described where Slipway defines the shapes, the rest from the routes themselves. */
export function buildOpenApi(served: ServedRoute[] = []) {
  const op = (summary: string, tags: string[], extra: Partial<Operation> = {}): Operation => ({ summary, tags, ...extra });
  const targets = '/api/v1/namespaces/{namespace}/deployment-targets';
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Slipway', version: '0.1.0',
      description: 'One domain served in the dialects of its API documents (Ververica DeploymentTargets and Instabase Deployment Manager so far) and its own platform endpoints; see docs/api-dialects.md.',
    },
    components: { securitySchemes: SECURITY_SCHEMES, schemas: { DeploymentTarget: DEPLOYMENT_TARGET, ...errorSchemaComponents() } },
    paths: {
      [targets]: {
        get: op('List the DeploymentTargets of a namespace', ['ververica']),
        post: op('Create a DeploymentTarget', ['ververica'], { requestBody: targetBody }),
      },
      [`${targets}/{name}`]: {
        get: op('Get a DeploymentTarget', ['ververica']),
        put: op('Upsert a DeploymentTarget (spec immutable, metadata updatable)', ['ververica'], { requestBody: targetBody }),
        delete: op('Delete a DeploymentTarget that nothing references', ['ververica']),
      },
      '/api/v1/commands/{id}': { get: op('Outcome of a command answered with 202', ['platform']) },
      '/api/v1/dead-letters': {
        get: op('Commands and events the bus gave up on, paged by sequence (admin)', ['platform'], {
          parameters: [
            { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          ],
        }),
      },
      '/api/v1/dead-letters/{sequence}': { delete: op('Discard a dead letter that was dealt with; the log records it (admin)', ['platform']) },
      '/api/v1/dead-letters/{sequence}/redrive': { post: op('Send a dead-lettered command kept whole again, once its cause is mended: as a new command, or under its own id when its success is recorded (`redrivenAs`, its status at `Location`); the letter is removed and the log records it (admin)', ['platform']) },
      '/api/v1/events': { get: op('The event log, paged by position', ['platform'], { parameters: eventFilters() }) },
      '/api/v1/tokens': {
        get: op('Access tokens: id (SHA-256 hash), principal, grants (admin)', ['platform']),
        post: op('Issue an access token with grants per namespace; its secret is in this answer only (admin)', ['platform'], {
          // The command's own contract, less the hash the gateway computes from the secret it makes.
          requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(IssueToken.schema.omit({ tokenHash: true }), { io: 'input' }) } } },
        }),
      },
      '/api/v1/tokens/self': {
        get: op('The calling token: its id, principal and grants', ['platform']),
        delete: op('Revoke the calling token for good (any token)', ['platform']),
      },
      '/api/v1/tokens/{id}': {
        get: op('One access token: id, principal, grants (admin)', ['platform']),
        delete: op('Revoke an access token for good (admin)', ['platform']),
      },
      '/api/v1/events/stream': {
        get: op('The event log as server-sent events (text/event-stream), the events after a position: `from`, or the Last-Event-ID header of a reconnection; with the filters of /api/v1/events but `after` and `limit`', ['platform'], {
          parameters: [
            { name: 'from', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 }, description: 'The position after which to start (exclusive, as Last-Event-ID)' },
            ...eventFilters().filter((parameter) => parameter.name !== 'after' && parameter.name !== 'limit'),
          ],
        }),
      },
      '/healthz': { get: op('Liveness', ['platform']) },
      '/readyz': { get: op('Readiness (NATS answers a round trip within 2 s)', ['platform']) },
      '/metrics': { get: op('Prometheus metrics', ['platform']) },
      '/openapi.json': { get: op('This document', ['platform']) },
    } as Paths,
  };
  completeOperations(document.paths, served);
  return document;
}
