import { entryPath } from './entry-path';
import type { ArchiveEntry } from './entry';
import { byteCounter, type ArchiveLimits } from './limits';
import type { Refuse } from './refusal';

const BLOCK = 512;
const FILE_TYPES = new Set(['0', '\0', '7']);
const REFUSED: Record<string, string> = { '1': 'a hard link', '2': 'a symlink', '3': 'a character device', '4': 'a block device', '6': 'a FIFO' };

const text = (block: Buffer, at: number, length: number): string => {
  const field = block.subarray(at, at + length);
  const nul = field.indexOf(0);
  return field.toString('utf8', 0, nul < 0 ? length : nul);
};

function octal(block: Buffer, at: number, length: number, refuse: Refuse): number {
  const digits = text(block, at, length).trim();
  if (!/^[0-7]*$/.test(digits)) refuse('has a damaged tar header (a size or checksum is not octal)');
  return digits === '' ? 0 : parseInt(digits, 8);
}

function checksumOk(block: Buffer, refuse: Refuse): boolean {
  let sum = 8 * 0x20; // the checksum field counts as spaces
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i]!;
  return sum === octal(block, 148, 8, refuse);
}

/** The `path` record of a pax extended header ("<length> path=<value>\n" records). */
function paxPath(records: string): string | undefined {
  return /(?:^|\n)\d+ path=([^\n]*)\n/.exec(records)?.[1];
}

/**
 * A ustar/GNU/pax tar's entries: files and directories only, long names from GNU `L` and
 * pax `x` headers; links, devices and FIFOs are refused, as are entry counts and
 * uncompressed totals over the limits.
 */
export function tarEntries(tar: Buffer, limits: ArchiveLimits, refuse: Refuse, kept: (path: string) => boolean): ArchiveEntry[] {
  if (tar.length === 0 || tar.length % BLOCK !== 0) refuse('is not a readable tar archive (not a whole number of 512-byte blocks)');
  const entries: ArchiveEntry[] = [];
  const bytes = byteCounter(limits, refuse);
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length;) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (!checksumOk(header, refuse)) refuse('is not a readable tar archive (bad header checksum)');
    const type = String.fromCharCode(header[156]!);
    const size = octal(header, 124, 12, refuse);
    const start = at + BLOCK;
    if (start + size > tar.length) refuse('is a truncated tar archive');
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'x') {
      longName = type === 'L' ? text(tar, start, size) : paxPath(tar.toString('utf8', start, start + size)) ?? longName;
      continue;
    }
    if (type === 'g') continue;
    const prefix = header.toString('latin1', 257, 263) === 'ustar\0' ? text(header, 345, 155) : '';
    const raw = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (entries.length + 1 > limits.maxEntries) refuse(`has more than ${limits.maxEntries} entries`);
    const path = entryPath(raw, refuse, type === '5');
    if (REFUSED[type]) refuse(`entry "${raw}" is ${REFUSED[type]}, which archives may not contain`);
    if (type !== '5' && !FILE_TYPES.has(type)) refuse(`entry "${raw}" has tar type "${type}", which is not supported`);
    bytes.add(size, type !== '5' && kept(path));
    const content = tar.subarray(start, start + size);
    entries.push({ path, directory: type === '5', read: () => content });
  }
  return entries;
}
