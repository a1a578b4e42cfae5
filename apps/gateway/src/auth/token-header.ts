import { DomainError } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { headerValuesSent } from '../http/headers-sent';

/** The headers a token may come in (lower case). */
const TOKEN_HEADERS = ['authorization', 'token', 'x-nomad-token'] as const;

/**
 * The token, wherever the dialect puts it: `Authorization: Bearer` (all), `Token`
 * (Instabase) or `X-Nomad-Token` (Nomad). Two that differ (in two of these headers, or one
 * sent twice) are refused: which would act could not be told (Node keeps the first
 * `Authorization`, a proxy may read the last). The same token twice acts as itself.
 */
export function tokenOf(request: FastifyRequest): string | undefined {
  const sent = TOKEN_HEADERS.flatMap((name) => headerValuesSent(request, name).flatMap(({ header, value }) => {
    // An `Authorization` of another scheme carries no token of ours.
    // RFC 9110 11.4: the scheme and its credentials are apart by spaces; JavaScript's \s takes a
    // no-break space (Latin-1 0xA0 in a header) too, which no client sends there.
    const token = name === 'authorization' ? /^Bearer +(\S+)$/i.exec(value)?.[1] : value;
    return token ? [{ header, token }] : [];
  }));
  if (new Set(sent.map((credential) => credential.token)).size > 1) {
    throw new DomainError('invalid', `send one token: the request carries ${sent.length} that differ (${sent.map((credential) => credential.header).join(', ')}), and which would act cannot be told`);
  }
  // Read as sent, not as Node joined it: a `Token` header sent twice is one token, not "t, t".
  return sent[0]?.token;
}

/** HTTP authentication schemes (IANA's registry, and a few in wide use) named back when sent: any other first word may be a credential sent without one. */
const KNOWN_SCHEMES = new Set(['basic', 'digest', 'negotiate', 'ntlm', 'token', 'hoba', 'mutual', 'scram-sha-1', 'scram-sha-256', 'vapid', 'dpop', 'gnap', 'privatetoken', 'concealed', 'aws4-hmac-sha256', 'apikey']);

/**
 * Why a request carries no token (tokenOf): no header, or an `Authorization` header that is
 * no `Bearer <token>` (another scheme, more than the token after it, a tab before it), said
 * so without quoting the header, which may hold a credential.
 */
export function missingTokenReason(request: FastifyRequest): string {
  const how = 'send "Authorization: Bearer <token>" (or "Token", or "X-Nomad-Token")';
  const [authorization] = headerValuesSent(request, 'authorization');
  // An empty header (`Authorization:` with nothing after it) is no attempt at one.
  if (authorization === undefined || authorization.value.trim() === '') return `missing token: ${how}`;
  const scheme = /^\S+/.exec(authorization.value)?.[0] ?? '';
  if (scheme.toLowerCase() !== 'bearer') {
    return `no token: the Authorization header's scheme is ${KNOWN_SCHEMES.has(scheme.toLowerCase()) ? `"${scheme}"` : 'not Bearer'}, which carries none of Slipway's: ${how}`;
  }
  return `no token: the Authorization header holds no Bearer token alone, after one or more spaces (a tab, or more than one word after it, is not one): ${how}`;
}

/**
 * Whether `sent` (a request's body, an id it gives) holds the secret of the token the request
 * carries. Tokens issued by Slipway are found by their shape wherever they are (TOKEN_SECRET);
 * a bootstrap token of an operator's own (SLIPWAY_ADMIN_TOKEN) has none, and pasted where
 * the log keeps what it is sent, it would be shown to every reader of the audit log. Its
 * secret is known here, in the request's own header. Only secrets as long as any token's
 * (32 characters), so that a short value sent as a token refuses nothing by chance.
 */
export function holdsOwnToken(request: FastifyRequest, sent: string | Buffer): boolean {
  let token: string | undefined;
  try {
    token = tokenOf(request);
  } catch {
    return false; // two tokens: refused as such by the token check
  }
  return token !== undefined && token.length >= MIN_TOKEN_LENGTH && sent.includes(token);
}

const MIN_TOKEN_LENGTH = 32;
