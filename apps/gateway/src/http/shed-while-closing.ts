import type { FastifyInstance } from 'fastify';
import { dialectOf } from './dialect';
import { errorBody } from './error-shapes';
import { send } from './respond';
import { refusalDataOf } from './route-marks';

/** How long a closing gateway waits for its connections to finish before it cuts them. */
const DRAIN_MS = 8_000;

/**
 * Requests that still arrive while the gateway closes — pipelined behind one in flight, or on
 * a kept-alive connection in the moment before it was closed — are refused 503 in their
 * dialect's shape, with `Retry-After` and the connection closed, instead of Fastify's own
 * body (`return503OnClosing` is turned off for this): the retry reaches another instance or
 * this one restarted, and a write resent with its Idempotency-Key is not done twice. Every
 * answer given while closing closes its connection (one kept alive would hold the close for
 * Node's keep-alive timeout, 72 s), and what is still open after DRAIN_MS — an event stream,
 * whose client reconnects with Last-Event-ID, or a body that stopped arriving — is cut, so a
 * stop finishes within the grace its supervisor gives (10 s under `npm start`, 30 s in
 * Kubernetes) with the writes in flight answered (they wait 5 s at most).
 */
export function shedWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    setTimeout(() => fastify.server.closeAllConnections(), DRAIN_MS).unref();
    done();
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    reply.header('retry-after', '1');
    send(request, reply, 503, errorBody(dialectOf(request.url), 503, {
      code: 'unavailable', message: 'this gateway is shutting down and took no action; send the request again (with the same Idempotency-Key, a write is done once)',
    }, refusalDataOf(request)));
    return reply;
  });
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}
