import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** The answer each connection's latest request is given: the request after it waits for it. */
const latestAnswer = new WeakMap<Socket, Promise<void>>();

/**
 * Handles the requests pipelined on one connection one at a time, in the order sent: Node
 * hands them over together, and a DELETE sent after a POST ran before it (404, the target
 * left behind), as RFC 9112 9.3.2 allows only for safe methods; 20,000 GETs in one write went
 * to the deployer at once. As Go's server (Argo CD's) does: the next request is handled once
 * the one before it is answered. An event stream's next request waits for the stream's end.
 */
export function oneAtATime(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    const before = latestAnswer.get(socket);
    latestAnswer.set(socket, new Promise<void>((answered) => reply.raw.once('finish', answered).once('close', answered)));
    if (before) await before;
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
