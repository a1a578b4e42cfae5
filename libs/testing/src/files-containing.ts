import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files under `dir` that hold `text` (a secret that must not be on disk, say). */
export function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file).includes(text));
}
