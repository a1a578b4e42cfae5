import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';

/** The headers a token may come in, as sent (lower case), and how each names it. */
const TOKEN_HEADERS = ['authorization', 'token', 'x-nomad-token'] as const;

/**
 * The token, wherever the dialect puts it: `Authorization: Bearer` (all), `Token`
 * (Instabase) or `X-Nomad-Token` (Nomad). Sent more than once (two of these headers, or one
 * twice), it is refused: which would act could not be told (Node keeps the first
 * `Authorization`, a proxy may read the last), and RFC 6750 (2) asks for one way only.
 */
export function tokenOf(request: FastifyRequest): string | undefined {
  // As sent (a header twice is two); a request made up of its parsed headers alone, each once.
  const sent = credentialsSent(request.raw?.rawHeaders ?? Object.entries(request.headers).flatMap(([name, value]) => (typeof value === 'string' ? [name, value] : [])));
  if (sent.length > 1) {
    throw new DomainError('invalid', `send the token once: the request carries ${sent.length} (${sent.join(', ')}), and which would act cannot be told`);
  }
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

/** The token headers the request carries, by name, once per time sent (an `Authorization` of another scheme is none). */
function credentialsSent(rawHeaders: string[]): string[] {
  const sent: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!(TOKEN_HEADERS as readonly string[]).includes(name)) continue;
    const value = rawHeaders[i + 1]!;
    if (name === 'authorization' ? /^Bearer\s/i.test(value) : value.trim() !== '') sent.push(rawHeaders[i]!);
  }
  return sent;
}
