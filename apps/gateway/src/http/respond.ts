import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'yaml';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** Does the client prefer YAML? (JSON otherwise, including for `*\/*`.) */
export function wantsYaml(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '').toLowerCase();
  return YAML_TYPES.some((type) => accept.includes(type)) && !accept.startsWith('application/json');
}

/** Writes a body as YAML or JSON by the Accept header; a string body is sent as text. */
export function send(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown): void {
  reply.status(status);
  if (typeof body === 'string') {
    void reply.type('text/plain; charset=utf-8').send(body);
  } else if (wantsYaml(request)) {
    void reply.type('application/yaml').send(stringify(body));
  } else {
    void reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
}
