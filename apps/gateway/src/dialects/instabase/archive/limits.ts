import type { Refuse } from './refusal';

/**
 * Bounds that make a hostile archive a fast 400 before anything is inflated in full or
 * stored (see docs/api-dialects.md). The YAML limits of the config store then apply to
 * every document of every file.
 */
export interface ArchiveLimits {
  /** Entries of any type, directories included. */
  maxEntries: number;
  /** Uncompressed bytes of the entries read (kept). */
  maxTotalBytes: number;
  /** Uncompressed bytes of all entries, read or skipped (a .tar.gz is inflated whole to be walked). */
  maxScannedBytes: number;
  /** Uncompressed ÷ compressed bytes, per zip entry and per whole gzip stream… */
  maxRatio: number;
  /** …once more than this many bytes come out (small data is cheap whatever its ratio). */
  ratioFloorBytes: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 1_000,
  maxTotalBytes: 4 * 1024 * 1024,
  maxScannedBytes: 4 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 64 * 1024,
};

/**
 * A telemetry export read back: its two small files are read, its logs and audit events
 * (up to 2 + 8 MiB, collect.ts) are skipped, so they count only toward what is scanned.
 */
export const IMPORT_LIMITS: ArchiveLimits = {
  ...ARCHIVE_LIMITS, maxScannedBytes: 32 * 1024 * 1024,
  // An export's own files compress as well as deflate makes anything (configs.json 127:1 seen;
  // deflate tops out near 1,032:1): refused by the ratio, it could not be imported. What is
  // scanned is bounded all the same.
  maxRatio: 1_100,
};

/**
 * Counts an archive's uncompressed bytes as its entries are listed: all of them toward what
 * is scanned, the entries read toward what is read; refuses as soon as either is over.
 */
export function byteCounter(limits: ArchiveLimits, refuse: Refuse): { add(size: number, read: boolean): void; readonly scanned: number } {
  let scanned = 0;
  let read = 0;
  return {
    add(size, isRead) {
      scanned += size;
      if (scanned > limits.maxScannedBytes) refuse(`holds more than ${limits.maxScannedBytes} bytes uncompressed`);
      if (isRead) read += size;
      if (read > limits.maxTotalBytes) refuse(`holds more than ${limits.maxTotalBytes} bytes uncompressed in the files read`);
    },
    get scanned() { return scanned; },
  };
}

/** Would `out` bytes from `into` compressed bytes be a bomb? */
export const overRatio = (out: number, into: number, limits: ArchiveLimits): boolean =>
  out > limits.ratioFloorBytes && out > into * limits.maxRatio;
