import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { configMap, tar, tarGz, zip } from './archive.testing';
import { readArchive } from './read-archive';
import { refuserFor } from './refusal';
import { ARCHIVE_LIMITS, IMPORT_LIMITS, type ArchiveLimits } from './limits';

const refuse = refuserFor('configs.zip', 'file');
const read = (bytes: Buffer, limits?: ArchiveLimits) => readArchive(bytes, refuse, limits);
const refused = (message: string) => expect.objectContaining({ code: 'invalid', field: 'file', message: expect.stringContaining(message) });
const SMALL: ArchiveLimits = { maxEntries: 5, maxTotalBytes: 10_000, maxScannedBytes: 10_000, maxRatio: 20, ratioFloorBytes: 8_000 };
const SYMLINK = 0o120777 << 16;

describe('archive reader: what it takes', () => {
  it('reads the .yaml/.yml/.json files of a zip in path order, skipping directories, dotfiles and other files', () => {
    const bytes = zip({
      'configs/': new Uint8Array(), 'configs/b.yml': Buffer.from(configMap('b')), 'configs/a.yaml': Buffer.from(configMap('a')),
      'configs/c.json': Buffer.from('{"kind":"X"}'), 'README.md': Buffer.from('# hi'), '__MACOSX/configs/._a.yaml': Buffer.from([0, 1, 2]),
      'stored.yaml': [Buffer.from(configMap('s')), { level: 0 }],
    });
    expect(read(bytes)).toEqual([
      { path: 'configs/a.yaml', text: configMap('a') }, { path: 'configs/b.yml', text: configMap('b') },
      { path: 'configs/c.json', text: '{"kind":"X"}' }, { path: 'stored.yaml', text: configMap('s') },
    ]);
  });

  it('reads a .tar.gz and a plain .tar, with ./ prefixes, ustar prefixes and GNU long names', () => {
    const long = `${'d'.repeat(120)}/x.yaml`;
    const entries = [
      { name: './configs/', type: '5' }, { name: './configs/a.yaml', body: configMap('a') },
      { name: '././@LongLink', type: 'L', body: `${long}\0` }, { name: long.slice(0, 99), body: configMap('long') },
    ];
    const expected = [{ path: 'configs/a.yaml', text: configMap('a') }, { path: long, text: configMap('long') }];
    expect(read(tarGz(entries))).toEqual(expected);
    expect(read(tar(entries))).toEqual(expected);
  });

  it('refuses what is not an archive, has no config file, or holds text that is not UTF-8', () => {
    expect(() => read(Buffer.from('kind: X'))).toThrow(refused('is not a .zip, .tar.gz or .tar archive'));
    expect(() => read(zip({ 'README.md': Buffer.from('x') }))).toThrow(refused('holds no .yaml, .yml or .json file'));
    expect(() => read(zip({ 'a.yaml': Buffer.from([0xff, 0xfe, 0x00]) }))).toThrow(refused('entry "a.yaml" is not UTF-8 text'));
    expect(() => read(gzipSync(Buffer.from('not a tar')))).toThrow(refused('is not a readable tar archive'));
  });
});

describe('archive reader: hostile archives are refused before anything is returned', () => {
  it.each([
    ['zip slip', () => zip({ 'ok.yaml': Buffer.from(configMap('a')), '../evil.yaml': Buffer.from(configMap('e')) }), 'entry "../evil.yaml" has a ".." path segment'],
    ['zip slip inside a path', () => zip({ 'a/../../evil.yaml': Buffer.from('x') }), '".." path segment'],
    ['absolute zip path', () => zip({ '/etc/evil.yaml': Buffer.from('x') }), 'entry "/etc/evil.yaml" has an absolute path'],
    ['windows drive path', () => zip({ 'C:\\evil.yaml': Buffer.from('x') }), 'has an absolute path'],
    ['backslash traversal', () => zip({ '..\\evil.yaml': Buffer.from('x') }), '".." path segment'],
    ['control characters', () => zip({ 'a\nb.yaml': Buffer.from('x') }), 'control characters'],
    ['zip symlink', () => zip({ 'a.yaml': Buffer.from(configMap('a')), 'link.yaml': [Buffer.from('/etc/passwd'), { os: 3, attrs: SYMLINK }] }), 'entry "link.yaml" is a symlink'],
    ['tar slip', () => tarGz([{ name: '../evil.yaml', body: 'x' }]), '".." path segment'],
    ['absolute tar path', () => tarGz([{ name: '/etc/evil.yaml', body: 'x' }]), 'has an absolute path'],
    ['tar symlink', () => tarGz([{ name: 'a.yaml', body: configMap('a') }, { name: 'link.yaml', type: '2', link: '/etc/passwd' }]), 'entry "link.yaml" is a symlink'],
    ['tar hard link', () => tarGz([{ name: 'link.yaml', type: '1', link: 'a.yaml' }]), 'is a hard link'],
    ['tar device', () => tarGz([{ name: 'dev.yaml', type: '3' }]), 'is a character device'],
    ['tar FIFO', () => tarGz([{ name: 'fifo.yaml', type: '6' }]), 'is a FIFO'],
    ['pax path traversal', () => tarGz([{ name: 'PaxHeader', type: 'x', body: '26 path=../../evil.yaml\n' }, { name: 'ok.yaml', body: 'x' }]), '".." path segment'],
    ['duplicate entries', () => zip({ 'a.yaml': Buffer.from('x'), './a.yaml': Buffer.from('y') }), 'entry "a.yaml" appears twice'],
  ])('%s', (_, build, message) => {
    expect(() => read(build())).toThrow(refused(message));
  });

  it('refuses more entries than the limit, zip and tar', () => {
    const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`c${i}.yaml`, Buffer.from(configMap(`c${i}`))]));
    expect(() => read(zip(many), SMALL)).toThrow(refused('has 6 entries, more than the limit of 5'));
    expect(() => read(tarGz(Object.keys(many).map((name) => ({ name, body: 'x' }))), SMALL)).toThrow(refused('has more than 5 entries'));
    expect(read(zip(Object.fromEntries(Object.entries(many).slice(0, 5))), SMALL)).toHaveLength(5);
  });

  it('refuses more uncompressed bytes than the limit, from the declared sizes', () => {
    const big = () => Buffer.from('k: v\n'.repeat(1_100).split('').map((c, i) => (c === 'v' ? String(i % 10) : c)).join(''));
    expect(() => read(zip({ 'a.yaml': [big(), { level: 0 }], 'b.yaml': [big(), { level: 0 }] }), SMALL)).toThrow(refused('holds more than 10000 bytes uncompressed'));
    expect(() => read(tar([{ name: 'a.yaml', body: big() }, { name: 'b.yaml', body: big() }]), SMALL)).toThrow(refused('holds more than 10000 bytes uncompressed'));
  });

  it('refuses a zip bomb by its declared ratio, without inflating it', () => {
    const bomb = zip({ 'bomb.yaml': [Buffer.alloc(3 * 1024 * 1024, 0x20), { level: 9 }] });
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => read(bomb)).toThrow(refused('entry "bomb.yaml" has a compression ratio over 100:1'));
  });

  it('reads an export back whose files compress as well as deflate makes anything, the bytes read bounded all the same (probe: its own configs.json, 127:1, was refused)', () => {
    const configs = JSON.stringify({ 'service/a': { config: 'a: b\n'.repeat(400_000) } });
    const exported = zip({ 'manifest.json': Buffer.from('{}'), 'configs.json': [Buffer.from(configs), { level: 9 }] });
    const keep = { keep: (path: string) => ['manifest.json', 'configs.json'].includes(path), none: 'not an export' };
    expect(readArchive(exported, refuse, IMPORT_LIMITS, keep).map((file) => file.path)).toEqual(['configs.json', 'manifest.json']);
    expect(() => readArchive(exported, refuse, ARCHIVE_LIMITS, keep)).toThrow(refused('compression ratio over 100:1'));
  });

  it('refuses a zip whose entry inflates past its declared size (a lying header), while inflating', () => {
    const honest = zip({ 'a.yaml': Buffer.from(`a: "${'x'.repeat(5_000)}"\n`) });
    const lying = Buffer.from(honest);
    const central = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    lying.writeUInt32LE(10, central + 24);
    expect(() => read(lying)).toThrow(refused('entry "a.yaml" inflates to more than its declared 10 bytes'));
    const wrongCrc = Buffer.from(honest);
    wrongCrc.writeUInt32LE(0, central + 16);
    expect(() => read(wrongCrc)).toThrow(refused('does not match its declared size and CRC'));
  });

  it('refuses a gzip bomb by the size its trailer declares, without inflating it', () => {
    const bomb = tarGz([{ name: 'bomb.yaml', body: Buffer.alloc(64 * 1024 * 1024, 0x20) }]);
    expect(() => read(bomb)).toThrow(refused('has a compression ratio over 100:1'));
  });

  it('refuses a gzip bomb whose trailer lies while inflating: a fast 400, however large it would grow', () => {
    const bomb = tarGz([{ name: 'bomb.yaml', body: Buffer.alloc(64 * 1024 * 1024, 0x20) }]);
    bomb.writeUInt32LE(1_000, bomb.length - 4);
    expect(() => read(bomb)).toThrow(refused('more than 4194304 bytes uncompressed'));
  });

  it('refuses over the total limit when the ratio is fine (a large but honest tar.gz)', () => {
    const noise = randomBytes(9_000).toString('base64');
    expect(() => read(tarGz([{ name: 'a.yaml', body: noise }]), SMALL)).toThrow(refused('holds more than 10000 bytes uncompressed'));
  });

  it('counts a file it skips toward the bytes scanned only, not those read (a telemetry export\'s logs on import)', () => {
    const noise = randomBytes(9_000).toString('base64'); // 12,000 bytes, over what may be read
    const manifest = { keep: (path: string) => path.endsWith('manifest.json'), none: 'holds no manifest.json' };
    const scanning = { ...SMALL, maxScannedBytes: 40_000 };
    const files = { 'manifest.json': Buffer.from('{"label":"x"}'), 'logs/api/pod/app.log': Buffer.from(noise) };
    for (const archive of [zip({ 'manifest.json': [files['manifest.json'], { level: 0 }], 'logs/api/pod/app.log': [files['logs/api/pod/app.log'], { level: 0 }] }),
      tarGz([{ name: 'manifest.json', body: files['manifest.json'] }, { name: 'logs/api/pod/app.log', body: files['logs/api/pod/app.log'] }])]) {
      expect(readArchive(archive, refuse, scanning, manifest)).toEqual([{ path: 'manifest.json', text: '{"label":"x"}' }]);
      // the same file read is over the limit of what is read
      expect(() => readArchive(archive, refuse, scanning, { keep: () => true, none: '' })).toThrow(refused('holds more than 10000 bytes uncompressed in the files read'));
      // and skipped, it still counts toward what is scanned
      expect(() => readArchive(archive, refuse, { ...SMALL, maxScannedBytes: 10_000 }, manifest)).toThrow(refused('holds more than 10000 bytes uncompressed'));
    }
    expect(() => readArchive(zip({ 'a.yaml': Buffer.from('a: 1') }), refuse, scanning, manifest)).toThrow(refused('holds no manifest.json'));
  });

  it('refuses damaged archives rather than guessing', () => {
    const ok = zip({ 'a.yaml': Buffer.from(configMap('a')) });
    expect(() => read(ok.subarray(0, ok.length - 30))).toThrow(refused('zip archive'));
    const badSum = tar([{ name: 'a.yaml', body: 'x' }]);
    badSum[0] = 0x62;
    expect(() => read(badSum)).toThrow(refused('bad header checksum'));
    expect(() => read(tar([{ name: 'a.yaml', body: 'x'.repeat(600) }]).subarray(0, 1024))).toThrow(refused('truncated'));
  });
});
