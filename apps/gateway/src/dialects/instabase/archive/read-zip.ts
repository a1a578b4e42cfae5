import { crc32, inflateRawSync } from 'node:zlib';
import { entryPath } from './entry-path';
import { specialType, type ArchiveEntry } from './entry';
import { byteCounter, overRatio, type ArchiveLimits } from './limits';
import type { Refuse } from './refusal';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const UNIX_HOSTS = new Set([3, 19]); // Unix, OS X: the high 16 bits of the external attributes are a file mode

function endOfCentralDirectory(zip: Buffer, refuse: Refuse): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  return refuse('is not a readable zip archive (no end of central directory)');
}

/**
 * A zip archive's entries, every one checked from the central directory (names, types,
 * declared sizes and ratios) before any is inflated; inflating is then bounded by the
 * declared size, and the result must match the declared size and CRC.
 */
export function zipEntries(zip: Buffer, limits: ArchiveLimits, refuse: Refuse, kept: (path: string) => boolean): ArchiveEntry[] {
  const end = endOfCentralDirectory(zip, refuse);
  const count = zip.readUInt16LE(end + 10);
  const directoryOffset = zip.readUInt32LE(end + 16);
  if (zip.readUInt16LE(end + 4) !== 0 || zip.readUInt16LE(end + 6) !== 0) refuse('is a multi-part zip archive, which is not supported');
  if (count === 0xffff || directoryOffset === 0xffffffff) refuse('is a ZIP64 archive, which is not supported');
  if (count > limits.maxEntries) refuse(`has ${count} entries, more than the limit of ${limits.maxEntries}`);
  const entries: ArchiveEntry[] = [];
  const bytes = byteCounter(limits, refuse);
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL) refuse('has a damaged central directory');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (next > end) refuse('has a damaged central directory');
    const raw = zip.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    const directory = raw.endsWith('/') || raw.endsWith('\\');
    const path = entryPath(raw, refuse, directory);
    const host = zip.readUInt16LE(at + 4) >> 8;
    const special = UNIX_HOSTS.has(host) ? specialType(zip.readUInt32LE(at + 38) >>> 16) : undefined;
    if (special) refuse(`entry "${raw}" is ${special}, which archives may not contain`);
    if (flags & 0x1) refuse(`entry "${raw}" is encrypted`);
    if (method !== 0 && method !== 8) refuse(`entry "${raw}" uses compression method ${method}; only stored and deflate are supported`);
    if (size === 0xffffffff || compressed === 0xffffffff) refuse(`entry "${raw}" needs ZIP64, which is not supported`);
    bytes.add(size, !directory && kept(path));
    if (overRatio(size, compressed, limits)) refuse(`entry "${raw}" has a compression ratio over ${limits.maxRatio}:1 (${size} bytes from ${compressed})`);
    const localOffset = zip.readUInt32LE(at + 42);
    entries.push({ path, directory, read: () => inflateEntry(zip, { raw, localOffset, method, compressed, size, crc }, refuse) });
    at = next;
  }
  if (overRatio(bytes.scanned, zip.length, limits)) refuse(`has a compression ratio over ${limits.maxRatio}:1 (${bytes.scanned} bytes from ${zip.length})`);
  return entries;
}

interface Located { raw: string; localOffset: number; method: number; compressed: number; size: number; crc: number }

function inflateEntry(zip: Buffer, entry: Located, refuse: Refuse): Buffer {
  const { raw, localOffset, method, compressed, size, crc } = entry;
  if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL) refuse(`entry "${raw}" has a damaged local header`);
  const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  if (start + compressed > zip.length) refuse(`entry "${raw}" runs past the end of the archive`);
  const data = zip.subarray(start, start + compressed);
  let content: Buffer;
  try {
    content = method === 0 ? data : inflateRawSync(data, { maxOutputLength: Math.max(1, size) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    return refuse(code === 'ERR_BUFFER_TOO_LARGE' ? `entry "${raw}" inflates to more than its declared ${size} bytes` : `entry "${raw}" is not valid deflate data`);
  }
  if (content.length !== size || crc32(content) !== crc) refuse(`entry "${raw}" does not match its declared size and CRC`);
  return content;
}
