/** One checked entry of an archive: a safe relative path, and its bytes on demand. */
export interface ArchiveEntry {
  path: string;
  directory: boolean;
  /** The entry's content, inflated within the limits (only files that are taken are read). */
  read(): Buffer;
}

const S_IFMT = 0o170000;
const TYPES: Record<number, string> = { 0o120000: 'a symlink', 0o020000: 'a character device', 0o060000: 'a block device', 0o010000: 'a FIFO', 0o140000: 'a socket' };

/** What a Unix file mode says the entry is, when it is anything but a file or directory. */
export const specialType = (mode: number): string | undefined => TYPES[mode & S_IFMT];
