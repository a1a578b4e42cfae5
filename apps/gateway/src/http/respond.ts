import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'yaml';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/**
 * Does the client prefer YAML? Each media range of Accept counts with its `q` (1 when
 * absent; 0 means "not acceptable"): YAML when a YAML type is valued above JSON (which
 * `*\/*` and `application/*` also reach), or as high and listed first. JSON otherwise.
 */
export function wantsYaml(request: FastifyRequest): boolean {
  let yaml = { q: 0, order: Infinity };
  let json = { q: 0, order: Infinity };
  String(request.headers.accept ?? '').toLowerCase().split(',').forEach((range, order) => {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim());
    const qParameter = parameters.find((p) => /^q\s*=/.test(p));
    const q = qParameter === undefined ? 1 : Number(qParameter.replace(/^q\s*=\s*/, ''));
    if (!(q > 0 && q <= 1)) return;
    const ranked = { q, order };
    if (YAML_TYPES.includes(type) && q > yaml.q) yaml = ranked;
    if (['application/json', 'application/*', '*/*'].includes(type) && q > json.q) json = ranked;
  });
  return yaml.q > json.q || (yaml.q > 0 && yaml.q === json.q && yaml.order < json.order);
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
