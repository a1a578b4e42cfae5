import { ReadEvents } from '@slipway/contracts';
import { z } from 'zod';
import { dialectOf } from '../http/dialect';

type Operation = { summary: string; tags: string[]; security?: unknown[]; requestBody?: unknown; parameters?: unknown[] };

const namespaceParam = { name: 'namespace', in: 'path', required: true, schema: { type: 'string' } };
const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
const targetBody = {
  required: true,
  content: Object.fromEntries(['application/json', 'application/yaml'].map((type) => [type, { schema: { $ref: '#/components/schemas/DeploymentTarget' } }])),
};

const DIALECT_DOCUMENTS: Record<string, string> = {
  ververica: 'Ververica Platform DeploymentTargets',
  instabase: 'Instabase Deployment Manager',
  nomad: 'Nomad deployments',
  datacater: 'DataCater deployments',
  ote: 'Akraino ote-stack',
};

/**
 * Routes served but not described by hand below: each listed with its path parameters,
 * named after the document it comes from (whose payloads it serves verbatim; the choices
 * are in docs/api-dialects.md), so that the document lists the whole surface.
 */
function describeServed(paths: Record<string, Record<string, unknown>>, served: Array<{ method: string; path: string }>): void {
  for (const { method, path } of served) {
    const entry = (paths[path] ??= {});
    if (entry[method]) continue;
    const dialect = dialectOf(path);
    const parameters = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const security = dialect === 'instabase' ? [{ token: [] }, { bearer: [] }] : [{ bearer: [] }];
    entry[method] = {
      summary: `${method.toUpperCase()} ${path}, as the ${DIALECT_DOCUMENTS[dialect] ?? 'Slipway'} API document defines it`,
      tags: [dialect], security, ...(parameters.length ? { parameters } : {}),
    };
  }
}

/** The served surface: hand-described where Slipway defines the shapes, the rest from the routes themselves. */
export function buildOpenApi(served: Array<{ method: string; path: string }> = []) {
  const op = (summary: string, tags: string[], extra: Partial<Operation> = {}): Operation => ({ summary, tags, security: [{ bearer: [] }], ...extra });
  const targets = '/api/v1/namespaces/{namespace}/deployment-targets';
  const document = {
    openapi: '3.1.0',
    info: { title: 'Slipway', version: '0.1.0', description: 'One domain served in five dialects; see docs/api-dialects.md.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, token: { type: 'apiKey', in: 'header', name: 'Token' } },
      schemas: {
        DeploymentTarget: {
          type: 'object',
          properties: {
            kind: { const: 'DeploymentTarget' }, apiVersion: { const: 'v1' },
            metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } }, annotations: { type: 'object', additionalProperties: { type: 'string' } } } },
            spec: { type: 'object', properties: { kubernetes: { type: 'object', properties: { namespace: { type: 'string' } } } } },
          },
        },
        EventsQuery: z.toJSONSchema(ReadEvents.schema, { io: 'input' }),
      },
    },
    paths: {
      [targets]: {
        get: op('List the DeploymentTargets of a namespace', ['ververica'], { parameters: [namespaceParam] }),
        post: op('Create a DeploymentTarget', ['ververica'], { parameters: [namespaceParam], requestBody: targetBody }),
      },
      [`${targets}/{name}`]: {
        get: op('Get a DeploymentTarget', ['ververica'], { parameters: [namespaceParam, nameParam] }),
        put: op('Upsert a DeploymentTarget (spec immutable, metadata updatable)', ['ververica'], { parameters: [namespaceParam, nameParam], requestBody: targetBody }),
        delete: op('Delete a DeploymentTarget that nothing references', ['ververica'], { parameters: [namespaceParam, nameParam] }),
      },
      '/api/v1/commands/{id}': { get: op('Outcome of a command answered with 202', ['platform']) },
      '/api/v1/dead-letters': { get: op('Commands and events the bus gave up on, paged by sequence (admin)', ['platform']) },
      '/api/v1/dead-letters/{sequence}': { delete: op('Discard a dead letter that was dealt with; the log records it (admin)', ['platform']) },
      '/api/v1/events': { get: op('The event log, paged by position', ['platform']) },
      '/api/v1/tokens': {
        get: op('Access tokens: id (SHA-256 hash), principal, grants (admin)', ['platform']),
        post: op('Issue an access token with grants per namespace; its secret is in this answer only (admin)', ['platform']),
      },
      '/api/v1/tokens/self': { get: op('The calling token: its id, principal and grants', ['platform']) },
      '/api/v1/tokens/{id}': { delete: op('Revoke an access token for good (admin)', ['platform']) },
      '/api/v1/events/stream': { get: op('The event log as server-sent events from a position', ['platform']) },
      '/healthz': { get: { summary: 'Liveness', tags: ['platform'] } },
      '/readyz': { get: { summary: 'Readiness (NATS connected)', tags: ['platform'] } },
      '/metrics': { get: { summary: 'Prometheus metrics', tags: ['platform'] } },
    } as Record<string, Record<string, unknown>>,
  };
  describeServed(document.paths, served);
  return document;
}
