import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, readdir, rm, rmdir } from 'node:fs/promises';
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
 * Removes the zips (and partial writes) of this installation's exports (`ours` tells which
 * ids are) that were last written under `root` before `cutoff`, and their directories once
 * empty and as old: the temp directory is shared, with other installations on the host and
 * with a collection under way (its directory made a moment before its zip). Each telemetry
 * process removes those on its own disk: an export's zip is where the process that
 * collected it wrote it. Returns the paths removed. An entry that vanishes meanwhile is
 * passed over.
 */
export async function removeZipsWrittenBefore(cutoff: Date, ours: (ids: string[]) => Promise<Set<string>>, root = tmpdir()): Promise<string[]> {
  const old: Array<{ dir: string; dirWritten: Date; path: string; id: string }> = [];
  for (const name of (await readdir(root)).filter((entry) => EXPORT_DIR.test(entry))) {
    const dir = join(root, name);
    const made = await lstat(dir).catch(() => undefined);
    if (!made?.isDirectory() || (process.getuid && made.uid !== process.getuid())) continue;
    for (const file of await readdir(dir).catch(() => [] as string[])) {
      const id = exportIdOf(file);
      const written = id && (await lstat(join(dir, file)).catch(() => undefined));
      if (id && written && written.isFile() && written.mtime < cutoff) old.push({ dir, dirWritten: made.mtime, path: join(dir, file), id });
    }
  }
  if (old.length === 0) return [];
  const known = await ours([...new Set(old.map((entry) => entry.id))]);
  const removed: string[] = [];
  for (const { dir, dirWritten, path, id } of old) {
    if (!known.has(id)) continue;
    await rm(path, { force: true });
    removed.push(path);
    // As old as its zip when first looked at (removing the zip makes it new again).
    if (dirWritten < cutoff && (await readdir(dir).catch(() => undefined))?.length === 0) await rmdir(dir).catch(() => undefined);
  }
  return removed;
}

/** The export a file of an export's directory belongs to: `<id>.zip`, or `.<id>.<hex>.partial`. */
function exportIdOf(file: string): string | undefined {
  if (file.endsWith('.zip')) return file.slice(0, -'.zip'.length) || undefined;
  return /^\.(.+)\.[0-9a-f]+\.partial$/.exec(file)?.[1];
}
