import { gunzipBounded } from './gunzip';
import { ARCHIVE_LIMITS, type ArchiveLimits } from './limits';
import { tarEntries } from './read-tar';
import { zipEntries } from './read-zip';
import type { Refuse } from './refusal';
import type { ArchiveEntry } from './entry';

export type ArchiveFormat = 'zip' | 'tar.gz' | 'tar';

export interface ArchiveFile {
  path: string;
  text: string;
}

/** What the bytes are, by their magic numbers (a file's name may lie). */
export function archiveFormat(bytes: Buffer): ArchiveFormat | undefined {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (bytes.length >= 22 && bytes.readUInt32LE(0) === 0x06054b50) return 'zip';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  if (bytes.length >= 512 && bytes.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return undefined;
}

const CONFIG_FILE = /\.(ya?ml|json)$/i;
/** Files an archiver adds on its own (macOS resource forks, dotfiles) are not configs. */
const isConfigFile = (path: string): boolean =>
  CONFIG_FILE.test(path) && !path.split('/').some((segment) => segment.startsWith('.') || segment === '__MACOSX');

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Which files of an archive are read, and what to say when it holds none. */
export interface ArchiveSelection {
  keep: (path: string) => boolean;
  none: string;
}

/** Config uploads: every .yaml/.yml/.json file. */
export const CONFIG_FILES: ArchiveSelection = { keep: isConfigFile, none: 'holds no .yaml, .yml or .json file' };

/**
 * The files of an archive `selection` keeps, in path order. Every entry is checked
 * (paths, types, counts, sizes, ratios) before any content is returned; other files are
 * checked and skipped, and count toward the bytes scanned, not those read.
 */
export function readArchive(bytes: Buffer, refuse: Refuse, limits: ArchiveLimits = ARCHIVE_LIMITS, selection: ArchiveSelection = CONFIG_FILES): ArchiveFile[] {
  const format = archiveFormat(bytes);
  if (!format) return refuse('is not a .zip, .tar.gz or .tar archive');
  const entries: ArchiveEntry[] = format === 'zip' ? zipEntries(bytes, limits, refuse, selection.keep)
    : tarEntries(format === 'tar' ? bytes : gunzipBounded(bytes, limits, refuse), limits, refuse, selection.keep);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.path) && !entry.directory) refuse(`entry "${entry.path}" appears twice`);
    seen.add(entry.path);
  }
  const files = entries.filter((e) => !e.directory && selection.keep(e.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.length === 0) refuse(selection.none);
  return files.map((entry) => {
    const content = entry.read();
    try {
      return { path: entry.path, text: utf8.decode(content) };
    } catch {
      return refuse(`entry "${entry.path}" is not UTF-8 text`);
    }
  });
}
