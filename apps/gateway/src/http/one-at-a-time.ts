import type { FastifyInstance } from 'fastify';
import { allAnswered, unansweredOn } from './unanswered';

/**
 * Handles the requests pipelined on one connection one at a time, in the order sent: Node
 * hands them over together, and a DELETE sent after a POST ran before it (404, the target
 * left behind), as RFC 9112 9.3.2 allows only for safe methods; 20,000 GETs in one write went
 * to the deployer at once. As Go's server (Argo CD's) does: a request is handled once those
 * read before it on its connection are answered (an event stream's next, once it ends).
 */
export function oneAtATime(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    const socket = request.raw.socket;
    const open = unansweredOn(socket);
    const at = open.indexOf(request.raw);
    if (at > 0) await allAnswered(socket, open.slice(0, at));
  });
}

/**
 * A client that ends its side of the connection after sending (a half-close) is still
 * answered: Node's default dropped the requests in flight and closed the connection, while
 * a write among them was carried out all the same.
 */
export function answerAfterHalfClose(fastify: FastifyInstance): void {
  (fastify.server as { httpAllowHalfOpen?: boolean }).httpAllowHalfOpen = true;
}
