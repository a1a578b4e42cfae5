import type { FastifyRequest } from 'fastify';

const began = new WeakMap<FastifyRequest, number>();

/**
 * Starts a request's wait bound (SLIPWAY_COMMAND_WAIT_MS), once: when the gateway first waits
 * on a service for it (the token check). Its command waits what is left (commandOptionsOf):
 * the bound is the request's, not each wait's. Returns when it began.
 */
export function startWaiting(request: FastifyRequest): number {
  const since = began.get(request) ?? Date.now();
  began.set(request, since);
  return since;
}

/** When the request began to wait, if it has. */
export function waitingSince(request: FastifyRequest): number | undefined {
  return began.get(request);
}
