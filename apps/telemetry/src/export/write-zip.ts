import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';

export interface WrittenZip {
  path: string;
  /** Bytes of each file in the zip, by name: what the completed event records. */
  sizes: Record<string, number>;
}

/**
 * Writes the files as a .zip in a fresh temp directory, as the document's zip_file_path
 * shows: text (pod logs) as it is, anything else as JSON.
 */
export function writeZip(id: string, files: Record<string, unknown>, root = tmpdir()): WrittenZip {
  const dir = join(root, `telescope-${createHash('sha256').update(id).digest().readUInt32BE(0)}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${id}.zip`);
  const bytes = Object.fromEntries(Object.entries(files).map(([name, v]) => [name, strToU8(typeof v === 'string' ? v : JSON.stringify(v, null, 2))]));
  writeFileSync(path, zipSync(bytes));
  return { path, sizes: Object.fromEntries(Object.entries(bytes).map(([name, b]) => [name, b.byteLength])) };
}
