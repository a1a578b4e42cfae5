import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory of a test's own for servers it starts itself, inside the run's state
 * directory (SLIPWAY_TEST_ROOT), which the global teardown removes. Readable by others:
 * as root, Postgres runs as its own user and must reach its data directory.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(process.env.SLIPWAY_TEST_ROOT ?? tmpdir(), `${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}
