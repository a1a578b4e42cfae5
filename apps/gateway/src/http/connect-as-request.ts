import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/**
 * Node hands a CONNECT request to `connect` listeners, not to the server's request handler,
 * and closes the socket unanswered when there are none (a probe: curl got an empty reply).
 * Slipway tunnels nothing: CONNECT is answered as any method a path does not serve, in
 * the dialect's shape (405 with Allow, or 404), and the connection closed after the answer.
 */
export function answerConnect(fastify: FastifyInstance): void {
  fastify.server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket as never);
    response.once('finish', () => {
      response.detachSocket(socket as never);
      socket.end();
    });
    socket.once('error', () => socket.destroy());
    fastify.server.emit('request', request, response);
  });
}
