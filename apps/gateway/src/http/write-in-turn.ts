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
 * written to, waits until the socket drains (or `gone` aborts: the client left) before going
 * on. Without the wait a slow reader of a long stream makes the server hold everything not
 * yet sent in memory. One that takes nothing of a slice for `stallMs` is cut off (the stream
 * destroyed). Slices are written one after another: what else writes to `out` must wait for
 * the chunk's end, or it lands inside it.
 */
export async function writeInTurn(out: Writable, chunk: string, gone: AbortSignal, stallMs = STALL_MS): Promise<void> {
  // Sliced as bytes: a string cut between the halves of a character would be sent broken.
  const bytes = Buffer.from(chunk, 'utf8');
  for (let at = 0; at < bytes.length && !gone.aborted && !out.destroyed; at += SLICE_BYTES) {
    if (out.write(bytes.subarray(at, at + SLICE_BYTES))) continue;
    // Ended by the stall bound or by the client leaving; each listener and timer goes with the wait.
    const waited = new AbortController();
    const stop = () => waited.abort();
    const timer = setTimeout(stop, stallMs);
    gone.addEventListener('abort', stop, { once: true });
    try {
      await once(out, 'drain', { signal: waited.signal }).catch(() => undefined);
    } finally {
      clearTimeout(timer);
      gone.removeEventListener('abort', stop);
    }
    if (waited.signal.aborted && !gone.aborted) out.destroy();
  }
}
