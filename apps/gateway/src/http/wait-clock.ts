import { waitLeft } from '@slipway/bus';
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

/** A query's own bound (CommandBus.query's default), and the least any waits. */
const QUERY_WAIT_MS = 5_000;
const LEAST_QUERY_WAIT_MS = 1_000;

/**
 * How long a query made for the request waits: what is left of the request's bound
 * (`boundMs`, SLIPWAY_COMMAND_WAIT_MS, counted from its token check, or from now), at least a
 * second and at most a query's own 5 s; 5 s where no bound is set (0).
 */
export function queryWaitFor(request: FastifyRequest, boundMs: number): number {
  const now = Date.now();
  const left = waitLeft(boundMs, waitingSince(request) ?? now, now);
  return left > 0 ? Math.min(QUERY_WAIT_MS, Math.max(LEAST_QUERY_WAIT_MS, left)) : QUERY_WAIT_MS;
}
