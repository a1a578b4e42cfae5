import type { FastifyInstance, FastifyRequest } from 'fastify';
import { holdsOwnToken } from '../auth/token-header';
import { headerValuesSent } from './headers-sent';

const BINARY_TYPES = ['multipart/form-data', 'application/zip', 'application/gzip', 'application/x-gzip', 'application/x-tar', 'application/octet-stream'];

/** Strict: a byte sequence that is no UTF-8 is refused, not replaced by U+FFFD and stored. A leading BOM is dropped. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const TEXT_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** A refusal whose message says what to send instead: the exception filter shows it as it is. */
export interface ExplainedRefusal extends Error { statusCode: number; explained: true }
export const refusal = (statusCode: number, message: string): ExplainedRefusal => Object.assign(new Error(message), { statusCode, explained: true as const });

/**
 * Bodies are taken as sent: one in a content coding (gzip, ...) would otherwise be read
 * as if it were plain. Refused with 415, as HTTP asks of a coding the server does not decode;
 * so is a transfer coding other than chunked, which Node leaves undone as well.
 */
function undecodedEncoding(request: FastifyRequest): Error | null {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return refusal(415, `Content-Encoding ${JSON.stringify(encoding)} is not supported: send the body uncompressed`);
  const transfer = request.headers['transfer-encoding']?.trim().toLowerCase();
  if (transfer && transfer !== 'chunked') return refusal(415, `Transfer-Encoding ${JSON.stringify(transfer)} is not supported: send the body uncompressed, chunked or with a Content-Length`);
  return null;
}

/**
 * A Content-Type sent twice, or naming its charset twice: Node reads the first, a proxy
 * before it may have read the other, so which the body is cannot be told.
 */
function unclearType(request: FastifyRequest): Error | null {
  const sent = headerValuesSent(request, 'content-type');
  if (sent.length > 1) return refusal(400, `Content-Type is sent ${sent.length} times: send it once`);
  if ((String(request.headers['content-type'] ?? '').match(/;\s*charset\s*=/gi)?.length ?? 0) > 1) return refusal(400, 'Content-Type names its charset more than once: name it once');
  return null;
}

/** Text in another character set than UTF-8 (which ASCII is part of) would be read as UTF-8 all the same. */
function otherCharset(request: FastifyRequest): Error | null {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(String(request.headers['content-type'] ?? ''))?.[1]?.toLowerCase();
  if (charset === undefined || TEXT_CHARSETS.has(charset)) return null;
  return refusal(415, `charset ${JSON.stringify(charset)} is not supported: send the body as UTF-8`);
}

/** A body holding the secret of the token that sends it: written to the log, it would be shown there. */
function ownToken(request: FastifyRequest, body: Buffer): Error | null {
  if (!holdsOwnToken(request, body)) return null;
  return refusal(400, 'the request body holds the secret of the token that sends it: a token goes in its header only (what a body holds is kept in the audit log)');
}

/**
 * Bodies reach the dialects as text: each parses JSON or YAML itself and reports malformed
 * input in its own error shape. Multipart and binary bodies stay bytes, so uploaded
 * archives survive.
 */
export function readBodiesAsSent(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  // A form's field texts are UTF-8 as every body's are: one that says otherwise is refused as
  // they are (RFC 7578 gives the type no charset; a sender naming one means its texts).
  const formCharset = (req: FastifyRequest) => (/^multipart\//i.test(String(req.headers['content-type'] ?? '')) ? otherCharset(req) : null);
  fastify.addContentTypeParser(BINARY_TYPES, { parseAs: 'buffer', bodyLimit }, (req, body, done) => done(unclearType(req) ?? undecodedEncoding(req) ?? formCharset(req) ?? ownToken(req, body as Buffer), body));
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    const refused = unclearType(req) ?? undecodedEncoding(req) ?? otherCharset(req) ?? ownToken(req, body as Buffer);
    if (refused) return done(refused, undefined);
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      return done(refusal(400, 'the request body is not valid UTF-8: send text as UTF-8 (where a route takes files, in multipart/form-data)'), undefined);
    }
    done(null, text);
  });
}
