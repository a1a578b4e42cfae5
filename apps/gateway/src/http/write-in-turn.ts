import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Writes a chunk of a long response; when the client reads slower than it is written to,
 * waits until the socket drains (or `gone` settles: the client left) before going on.
 * Without the wait a slow reader of a long stream makes the server hold everything not
 * yet sent in memory.
 */
export async function writeInTurn(out: Writable, chunk: string, gone: Promise<void>): Promise<void> {
  if (out.write(chunk)) return;
  await Promise.race([once(out, 'drain').catch(() => undefined), gone]);
}
