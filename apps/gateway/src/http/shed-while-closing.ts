import type { FastifyInstance } from 'fastify';
import { dialectOf } from './dialect';
import { errorBody } from './error-shapes';
import { send } from './respond';

/**
 * Requests that still arrive while the gateway closes — pipelined behind one in flight, or on
 * a kept-alive connection in the moment before it was closed — are refused 503 in their
 * dialect's shape, with `Retry-After` and the connection closed, instead of Fastify's own
 * body (`return503OnClosing` is turned off for this): the retry reaches another instance or
 * this one restarted, and a write resent with its Idempotency-Key is not done twice.
 */
export function shedWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    reply.header('retry-after', '1').header('connection', 'close');
    send(request, reply, 503, errorBody(dialectOf(request.url), 503, {
      code: 'unavailable', message: 'this gateway is shutting down and took no action; send the request again (with the same Idempotency-Key, a write is done once)',
    }));
    return reply;
  });
}
