import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The requests each connection has read (their headers at least) and not answered yet, in the order read. */
const unanswered = new WeakMap<Socket, Set<IncomingMessage>>();

/** Each connection's waits for some of its requests to be answered: checked as each one is. */
const waits = new WeakMap<Socket, Set<() => void>>();

/**
 * Keeps the requests of each connection not answered yet, from Node's own event: it comes
 * before the parser reads on to the next request, so a refusal of that one (client-error.ts)
 * and the next request's turn (one-at-a-time.ts) know what was read before it. Heard before
 * Fastify's own listener, which runs the first hooks at once.
 */
export function trackUnanswered(server: Server): void {
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const open = unanswered.get(socket) ?? new Set<IncomingMessage>();
    unanswered.set(socket, open.add(request));
    const answered = () => {
      if (!open.delete(request)) return;
      for (const check of [...waits.get(socket) ?? []]) check();
    };
    response.once('finish', answered).once('close', answered);
  });
}

/** The connection's requests not answered yet, in the order read. */
export const unansweredOn = (socket: Socket): IncomingMessage[] => [...unanswered.get(socket) ?? []];

/** Resolves once each of `requests`, read on `socket`, is answered (sent, or its client gone). */
export function allAnswered(socket: Socket, requests: readonly IncomingMessage[]): Promise<void> {
  const open = unanswered.get(socket);
  const pending = () => requests.some((request) => open?.has(request));
  if (!pending()) return Promise.resolve();
  return new Promise((resolve) => {
    const mine = waits.get(socket) ?? new Set<() => void>();
    waits.set(socket, mine);
    const check = () => {
      if (pending()) return;
      mine.delete(check);
      resolve();
    };
    mine.add(check);
  });
}
