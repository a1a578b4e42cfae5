import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';

/** The headers a token may come in (lower case). */
const TOKEN_HEADERS = ['authorization', 'token', 'x-nomad-token'] as const;

/**
 * The token, wherever the dialect puts it: `Authorization: Bearer` (all), `Token`
 * (Instabase) or `X-Nomad-Token` (Nomad). Two that differ (in two of these headers, or one
 * sent twice) are refused: which would act could not be told (Node keeps the first
 * `Authorization`, a proxy may read the last). The same token twice acts as itself.
 */
export function tokenOf(request: FastifyRequest): string | undefined {
  // As sent (a header twice is two); a request made up of its parsed headers alone, each once.
  const sent = credentialsSent(request.raw?.rawHeaders ?? Object.entries(request.headers).flatMap(([name, value]) => (typeof value === 'string' ? [name, value] : [])));
  if (new Set(sent.map((credential) => credential.token)).size > 1) {
    throw new DomainError('invalid', `send one token: the request carries ${sent.length} that differ (${sent.map((credential) => credential.header).join(', ')}), and which would act cannot be told`);
  }
  // Read as sent, not as Node joined it: a `Token` header sent twice is one token, not "t, t".
  return sent[0]?.token;
}

/** The tokens the request carries, with the header each came in, once per time sent (an `Authorization` of another scheme is none). */
function credentialsSent(rawHeaders: string[]): Array<{ header: string; token: string }> {
  const sent: Array<{ header: string; token: string }> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!(TOKEN_HEADERS as readonly string[]).includes(name)) continue;
    const value = rawHeaders[i + 1]!.trim();
    const token = name === 'authorization' ? /^Bearer\s+(\S+)$/i.exec(value)?.[1] : value;
    if (token) sent.push({ header: rawHeaders[i]!, token });
  }
  return sent;
}
