import type { ServerResponse } from 'node:http';

/**
 * Calls `then` once the answer to a request is done with: sent, or its client gone. At once
 * when the client has gone already: one that left while the request waited (for its token's
 * check, say) closed the answer before anyone listened, and no 'close' comes after.
 */
export function whenAnswerClosed(res: ServerResponse, then: () => void): void {
  if (res.destroyed) then();
  else res.once('close', then);
}
