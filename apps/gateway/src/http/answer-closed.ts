import type { ServerResponse } from 'node:http';

/**
 * Calls `then` once the answer to a request is done with: sent, or its client gone. At once
 * when the client has gone already: one that left while the request waited (for its token's
 * check, say) closed the answer before anyone listened, and no 'close' comes after. A client
 * that ended its side of the connection (FIN) has gone too: the gateway keeps such a
 * connection open to answer what was sent (answerAfterHalfClose), but an event stream or a
 * page held for it would be read by nobody.
 */
export function whenAnswerClosed(res: ServerResponse, then: () => void): void {
  const socket = res.socket;
  if (res.destroyed || socket?.readableEnded) {
    then();
    return;
  }
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    socket?.off('end', once);
    then();
  };
  res.once('close', once);
  socket?.once('end', once);
}
