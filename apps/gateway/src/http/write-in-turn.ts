import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * How long a client may take none of a long response's next slice before it is cut off. An
 * event stream's client that stops reading would otherwise hold its place (one of its token's
 * streams) for as long as it lives, and its token, checked before each read, is not checked
 * while a write waits: a revoked one would keep it. An EventSource cut off reconnects from its
 * last event, its token checked anew; the Kubernetes API server closes a watcher that falls
 * behind so. A client that reads slowly is not: the bound is per slice, not per write.
 */
export const STALL_MS = 60_000;
/** What a client must take within the stall bound: 64 KiB a minute, however large the write. */
const SLICE_BYTES = 64 * 1024;

/**
 * Writes a chunk of a long response, slice by slice; when the client reads slower than it is
 * written to, waits until the socket drains (or `gone` settles: the client left) before going
 * on. Without the wait a slow reader of a long stream makes the server hold everything not
 * yet sent in memory. One that takes nothing of a slice for `stallMs` is cut off (the stream
 * destroyed).
 */
export async function writeInTurn(out: Writable, chunk: string, gone: Promise<void>, stallMs = STALL_MS): Promise<void> {
  let left = false;
  // Settled either way, the client has left (a request's 'error' as well as its 'close').
  const leaving = gone.then(() => { left = true; }, () => { left = true; });
  // Sliced as bytes: a string cut between the halves of a character would be sent broken.
  const bytes = Buffer.from(chunk, 'utf8');
  for (let at = 0; at < bytes.length && !left && !out.destroyed; at += SLICE_BYTES) {
    if (out.write(bytes.subarray(at, at + SLICE_BYTES))) continue;
    const stalled = AbortSignal.timeout(stallMs);
    await Promise.race([once(out, 'drain', { signal: stalled }).catch(() => undefined), leaving]);
    if (stalled.aborted && !left) out.destroy();
  }
}
