import type { FastifyInstance } from 'fastify';
import { dialectOf } from './dialect';
import { errorBody } from './error-shapes';
import { headerValuesSent } from './headers-sent';
import { send } from './respond';
import { refusalDataOf } from './route-marks';

/**
 * RFC 9112 3.2: an HTTP/1.1 request without a Host header, or with more than one, is answered
 * 400. Node answers a missing one itself with an empty 400 (its `requireHostHeader`, turned
 * off where the server is made) and reads the first of several: both are refused here, in the
 * dialect of the path, as other refusals of what was sent are. HTTP/1.0 needs none.
 */
export function refuseBadHostHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    // Counted as sent: Node keeps the first of several.
    const hosts = headerValuesSent(request, 'host').length;
    if (hosts === 1 || (hosts === 0 && request.raw.httpVersion === '1.0')) return;
    const message = hosts === 0 ? 'an HTTP/1.1 request needs a Host header (RFC 9112 3.2)' : `the request has ${hosts} Host headers, where one is expected (RFC 9112 3.2)`;
    send(request, reply, 400, errorBody(dialectOf(request.url), 400, { code: 'invalid', message, field: 'Host' }, refusalDataOf(request)));
    return reply;
  });
}
