import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Requests that sent `Expect: 100-continue` and have not been told to go on yet. */
const waitingToContinue = new WeakSet<IncomingMessage>();

/**
 * A client that sends `Expect: 100-continue` (curl does for a body over a MiB: an upload)
 * waits for "100 Continue" before it sends its body. Node sends it at once unless the server
 * listens for `checkContinue`: then it is sent here once the request has passed the hooks that
 * run before its body is read (its token checked, authenticate-first.ts), so a request refused
 * 401 is refused before its client sends a byte of the body (RFC 9110 10.1.1: a final status
 * instead of 100 tells it not to).
 */
export function continueAfterToken(fastify: FastifyInstance): void {
  fastify.server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    waitingToContinue.add(request);
    fastify.server.emit('request', request, response);
  });
  fastify.addHook('preParsing', async (request, reply, payload) => {
    if (waitingToContinue.delete(request.raw) && !reply.sent) reply.raw.writeContinue();
    return payload;
  });
}
