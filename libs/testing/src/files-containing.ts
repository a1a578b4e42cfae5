import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files under `dir` that hold `text` (a secret that must not be on disk, say). The
 * directory may be written meanwhile (a server writes a temporary file and renames it): a
 * file gone between the listing and its reading starts the scan again, so that what it was
 * renamed to is read too.
 */
export function filesContaining(dir: string, text: string): string[] {
  for (let attempt = 1; ; attempt++) {
    try {
      return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
        .filter((file) => readFileSync(file).includes(text));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT' || attempt === 20) throw error;
    }
  }
}
