import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory of a test's own for servers it starts itself, in the temp directory (during
 * a run, inside the run's directory, which the global teardown removes). Readable by
 * others: as root, Postgres runs as its own user and must reach its data directory.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}
