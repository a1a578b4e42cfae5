import type { FastifyRequest } from 'fastify';

/**
 * The token, wherever the dialect puts it: `Authorization: Bearer` (all), `Token`
 * (Instabase) or `X-Nomad-Token` (Nomad).
 */
export function tokenOf(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  for (const header of ['token', 'x-nomad-token']) {
    const value = request.headers[header];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}
