import type { FastifyInstance } from 'fastify';
import { answersAnyone } from '../http/route-marks';
import type { Authenticator } from './authenticator';

/**
 * Who sends a request, and whether they may, is known before any of its body is read, as
 * Kubernetes' API server and Argo CD do: a request without a valid token is answered 401, one
 * whose token lacks what its route needs (`Needs`, the namespace read from its path) 403 (in
 * its dialect's shape, by the exception filter), not 415, 400 or 413 for a body its sender may
 * not send, and none of that body (up to the upload limit) is buffered, decoded or parsed for
 * them (what arrives of it after the answer, Node discards, so the connection stays usable).
 * The principal found is the request's: the handlers' checks read it (Authenticator). Routes
 * that answer anyone, and paths no route serves (404, 405), are let by.
 */
export function authenticateFirst(fastify: FastifyInstance, auth: Authenticator): void {
  fastify.addHook('onRequest', async (request) => {
    if (request.is404 || answersAnyone(request)) return;
    await auth.authorize(request);
  });
}
