import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { writeZip } from './write-zip';

/** Every byte behind an open descriptor, from the start. */
function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  for (let position = 0; ;) {
    const chunk = Buffer.alloc(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) return Buffer.concat(chunks);
    chunks.push(chunk.subarray(0, n));
    position += n;
  }
}

describe('writeZip', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'write-zip-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the zip and its directory to this user alone, and refuses a directory someone else could have made', () => {
    const { path } = writeZip('job-private', { 'manifest.json': {} }, root);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    // a link where the directory goes (another user's planted one) is not written through
    const planted = mkdtempSync(join(tmpdir(), 'planted-'));
    try {
      const first = writeZip('job-planted', { 'manifest.json': {} }, root);
      rmSync(dirname(first.path), { recursive: true });
      symlinkSync(planted, dirname(first.path));
      expect(() => writeZip('job-planted', { 'manifest.json': {} }, root)).toThrow('is not a directory of this user\'s');
      expect(readdirSync(planted)).toEqual([]);
    } finally {
      rmSync(planted, { recursive: true, force: true });
    }
  });

  it('replaces a zip already at the path whole: whoever has the old one open still reads the old one', () => {
    // given an export's zip that a reader has open
    const first = writeZip('job-1', { 'manifest.json': { run: 1 } }, root);
    const fd = openSync(first.path, 'r');
    try {
      const before = statSync(first.path).ino;

      // when the same export's zip is written again
      const second = writeZip('job-1', { 'manifest.json': { run: 2 }, 'stats.json': { events: 0 } }, root);

      // then the path holds the new zip, as a new file
      expect(second.path).toBe(first.path);
      expect(Object.keys(unzipSync(readFileSync(second.path))).sort()).toEqual(['manifest.json', 'stats.json']);
      expect(statSync(second.path).ino).not.toBe(before);
      // and the reader's file is the first zip, untouched (not truncated and rewritten in place)
      expect(JSON.parse(strFromU8(unzipSync(readAll(fd))['manifest.json']!))).toEqual({ run: 1 });
    } finally {
      closeSync(fd);
    }
    // and nothing but the zip is left in its directory
    expect(readdirSync(dirname(first.path))).toEqual(['job-1.zip']);
  });
});
