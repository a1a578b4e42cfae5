import { gunzipSync } from 'node:zlib';
import { overRatio, type ArchiveLimits } from './limits';
import type { Refuse } from './refusal';

/** A tar's own bytes beyond its files' contents: a header (and a long-name header) and padding per entry, and the end records. */
const tarOverhead = (limits: ArchiveLimits) => (limits.maxEntries + 1) * 2048 + 20 * 512;

/**
 * Inflates a gzip stream within the limits. The size its trailer declares (ISIZE, modulo
 * 2^32) refuses an honest bomb without inflating anything; a lying one is stopped as soon
 * as the output passes what the limits allow (zlib checks the bound chunk by chunk).
 */
export function gunzipBounded(gz: Buffer, limits: ArchiveLimits, refuse: Refuse): Buffer {
  const bySize = limits.maxScannedBytes + tarOverhead(limits);
  const byRatio = Math.max(limits.ratioFloorBytes, gz.length * limits.maxRatio);
  const declared = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
  // A stream cut short ends in bytes of its data, not in its trailer: what they "declare" is no size.
  if (overRatio(declared, gz.length, limits)) refuse(`is cut short, or has a compression ratio over ${limits.maxRatio}:1 (its last bytes declare ${declared} bytes from ${gz.length})`);
  if (declared > bySize) refuse(`holds more than ${limits.maxScannedBytes} bytes uncompressed`);
  try {
    return gunzipSync(gz, { maxOutputLength: Math.min(bySize, byRatio) });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') return refuse('is not valid gzip data');
    return refuse(byRatio < bySize
      ? `has a compression ratio over ${limits.maxRatio}:1 (more than ${byRatio} bytes from ${gz.length})`
      : `holds more than ${limits.maxScannedBytes} bytes uncompressed`);
  }
}
