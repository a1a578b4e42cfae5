import { publishWait } from '@slipway/bus';
import type { FastifyRequest } from 'fastify';

const began = new WeakMap<FastifyRequest, number>();

/**
 * Starts a request's wait bound (SLIPWAY_COMMAND_WAIT_MS), once: when the gateway first waits
 * on a service for it (the token check; `at`, when that began). Its command waits what is left
 * (commandOptionsOf): the bound is the request's, not each wait's. Returns when it began.
 */
export function startWaiting(request: FastifyRequest, at = Date.now()): number {
  const since = began.get(request) ?? at;
  began.set(request, since);
  return since;
}

/**
 * Starts the request's wait bound again, from now: for a long-lived request (an event
 * stream) whose token is checked again before each read, each check is a wait of its own.
 * Counted from the stream's start, every check after the bound would get only a second.
 */
export function waitAnew(request: FastifyRequest): number {
  began.delete(request);
  return startWaiting(request);
}

/** When the request began to wait, if it has. */
export function waitingSince(request: FastifyRequest): number | undefined {
  return began.get(request);
}

/**
 * How long a query made for the request waits: what is left of the request's bound
 * (`boundMs`, SLIPWAY_COMMAND_WAIT_MS, counted from its token check, or from now), as a
 * publish waits within its sender's (at least a second, at most the client's 5 s); 5 s where
 * no bound is set (0).
 */
export function queryWaitFor(request: FastifyRequest, boundMs: number): number {
  const now = Date.now();
  return publishWait(boundMs > 0 ? (waitingSince(request) ?? now) + boundMs : undefined, now);
}
