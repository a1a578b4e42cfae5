import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * How long a client may leave a long response unread before it is cut off. An event stream's
 * client that stops reading would otherwise hold its place (one of its token's streams) for
 * as long as it lives, and its token, checked before each read, is not checked while a write
 * waits: a revoked one would keep it. An EventSource cut off reconnects from its last event,
 * its token checked anew; the Kubernetes API server closes a watcher that falls behind so.
 */
export const STALL_MS = 60_000;

/**
 * Writes a chunk of a long response; when the client reads slower than it is written to,
 * waits until the socket drains (or `gone` settles: the client left) before going on.
 * Without the wait a slow reader of a long stream makes the server hold everything not
 * yet sent in memory. One that reads nothing for `stallMs` is cut off (the stream destroyed).
 */
export async function writeInTurn(out: Writable, chunk: string, gone: Promise<void>, stallMs = STALL_MS): Promise<void> {
  if (out.write(chunk)) return;
  const stalled = new AbortController();
  const timer = setTimeout(() => stalled.abort(), stallMs);
  try {
    await Promise.race([once(out, 'drain', { signal: stalled.signal }).catch(() => undefined), gone]);
  } finally {
    clearTimeout(timer);
  }
  if (stalled.signal.aborted) out.destroy();
}
