import { ReadEvents } from '@slipway/contracts';
import { z } from 'zod';

type Operation = { summary: string; tags: string[]; security?: unknown[]; requestBody?: unknown; parameters?: unknown[] };

const namespaceParam = { name: 'namespace', in: 'path', required: true, schema: { type: 'string' } };
const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
const targetBody = {
  required: true,
  content: Object.fromEntries(['application/json', 'application/yaml'].map((type) => [type, { schema: { $ref: '#/components/schemas/DeploymentTarget' } }])),
};

/** The served surface, kept next to the routes it describes. */
export function buildOpenApi() {
  const op = (summary: string, tags: string[], extra: Partial<Operation> = {}): Operation => ({ summary, tags, security: [{ bearer: [] }], ...extra });
  const targets = '/api/v1/namespaces/{namespace}/deployment-targets';
  return {
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
      '/api/v1/events': { get: op('The event log, paged by position', ['platform']) },
      '/api/v1/events/stream': { get: op('The event log as server-sent events from a position', ['platform']) },
      '/healthz': { get: { summary: 'Liveness', tags: ['platform'] } },
      '/readyz': { get: { summary: 'Readiness (NATS connected)', tags: ['platform'] } },
      '/metrics': { get: { summary: 'Prometheus metrics', tags: ['platform'] } },
    },
  };
}
