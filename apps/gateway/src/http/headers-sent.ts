import type { FastifyRequest } from 'fastify';

/**
 * Each value of the header `name` (lower case) as the client sent it, once per time sent.
 * Node joins a header sent twice ("a, b") for most names and keeps only the first of
 * others; a header that names one thing (a token, an Idempotency-Key) must be read as sent,
 * so that two that differ are refused and the same one twice is itself. A request made up
 * of its parsed headers alone (no raw list) has each once.
 */
export function headerValuesSent(request: FastifyRequest, name: string): Array<{ header: string; value: string }> {
  const raw = request.raw?.rawHeaders ?? Object.entries(request.headers).flatMap(([key, value]) => (typeof value === 'string' ? [key, value] : []));
  const sent: Array<{ header: string; value: string }> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === name) sent.push({ header: raw[i]!, value: raw[i + 1]!.trim() });
  }
  return sent;
}
