import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
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
 * shows: text (pod logs) as it is, anything else as JSON. The zip is written beside its
 * path and renamed into place, so a reader of zip_file_path never sees half a file, and
 * one already there stays whole for whoever has it open. The directory and the zip are the
 * telemetry user's alone: they hold pod logs and configs.
 */
/** Each export's own directory under the temp root: `telescope-<a number from its id>`. */
const EXPORT_DIR = /^telescope-\d+$/;

export function writeZip(id: string, files: Record<string, unknown>, root = tmpdir()): WrittenZip {
  const dir = join(root, `telescope-${createHash('sha256').update(id).digest().readUInt32BE(0)}`);
  // Its name is guessable (the id is in the job's status): on a shared host another user could
  // make it first, to read or swap the zip. Ours alone (0700), or refused.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const made = lstatSync(dir);
  if (!made.isDirectory() || (process.getuid && made.uid !== process.getuid())) {
    throw new Error(`${dir} is not a directory of this user's: the export is not written there`);
  }
  // One an earlier version made open to all is closed.
  if ((made.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  const path = join(dir, `${id}.zip`);
  const bytes = Object.fromEntries(Object.entries(files).map(([name, v]) => [name, strToU8(typeof v === 'string' ? v : JSON.stringify(v, null, 2))]));
  const partial = join(dir, `.${id}.${randomBytes(4).toString('hex')}.partial`);
  try {
    writeFileSync(partial, zipSync(bytes), { mode: 0o600 });
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { path, sizes: Object.fromEntries(Object.entries(bytes).map(([name, b]) => [name, b.byteLength])) };
}

/**
 * Removes the zips (and partial writes) this user's exports left under `root` that were
 * last written before `cutoff`, and their directories once empty. Each telemetry process
 * removes those on its own disk: an export's zip is where the process that collected it
 * wrote it. Returns the paths removed. An entry that vanishes meanwhile is passed over.
 */
export function removeZipsWrittenBefore(cutoff: Date, root = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root).filter((entry) => EXPORT_DIR.test(entry))) {
    const dir = join(root, name);
    try {
      const made = lstatSync(dir);
      if (!made.isDirectory() || (process.getuid && made.uid !== process.getuid())) continue;
      for (const file of readdirSync(dir).filter((entry) => entry.endsWith('.zip') || entry.endsWith('.partial'))) {
        const path = join(dir, file);
        const stat = lstatSync(path);
        if (stat.isFile() && stat.mtime < cutoff) {
          rmSync(path, { force: true });
          removed.push(path);
        }
      }
      if (readdirSync(dir).length === 0) rmdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
