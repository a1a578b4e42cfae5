import type { FastifyRequest } from 'fastify';

/** HEAD on a route whose GET acts or never ends: refused 405, allowing GET (the filter answers it). */
export class HeadNotServed extends Error {
  override readonly name = 'HeadNotServed';
}

/**
 * For a GET that acts (the Instabase `GET setup` sends a command) or streams: Fastify
 * serves HEAD beside each GET by running its handler, and a HEAD must do neither — it
 * would set up the Deployment Manager, or hold a connection a stream never ends.
 */
export function refuseHead(request: FastifyRequest): void {
  if (request.method === 'HEAD') throw new HeadNotServed(`HEAD is not served on ${request.url.split('?')[0]}: its GET acts or streams; send GET`);
}
