import { randomBytes } from 'node:crypto';
import { parseMultipart } from './multipart';

const TYPE = 'multipart/form-data; boundary=----b0undary';
const body = (...parts: Array<string | Buffer>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

describe('multipart parser', () => {
  it('keeps binary file parts byte for byte (CR, LF, dashes and invalid UTF-8 included)', () => {
    const binary = Buffer.concat([randomBytes(4096), Buffer.from('\r\n--\r\n\n------b0undar'), Buffer.from([0xff, 0xfe, 0x00])]);
    const parts = parseMultipart(body(
      '------b0undary\r\nContent-Disposition: form-data; name="release_version"\r\n\r\n21.x.0\r\n',
      '------b0undary\r\nContent-Disposition: form-data; name="file"; filename="configs.zip"\r\nContent-Type: application/zip\r\n\r\n', binary, '\r\n',
      '------b0undary--\r\n',
    ), TYPE);
    expect(parts.map((p) => [p.name, p.filename])).toEqual([['release_version', undefined], ['file', 'configs.zip']]);
    expect(parts[0]!.content.toString()).toBe('21.x.0');
    expect(parts[1]!.content.equals(binary)).toBe(true);
  });

  it('accepts bare LF line ends, and refuses bodies without a boundary or a closing delimiter', () => {
    expect(parseMultipart(body('------b0undary\nContent-Disposition: form-data; name="a"\n\nx\n------b0undary--\n'), TYPE)[0]!.content.toString()).toBe('x');
    expect(() => parseMultipart(body('x'), 'multipart/form-data')).toThrow('without a boundary');
    expect(() => parseMultipart(body('------b0undary\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'), TYPE)).toThrow('no closing boundary');
  });
});

describe('a multipart part\'s headers', () => {
  it('are read as UTF-8: a file name of any script is taken as sent, one not UTF-8 is refused naming what', () => {
    const named = (fileName: Buffer) => body('------b0undary\r\nContent-Disposition: form-data; name="file"; filename="', fileName, '"\r\n\r\nzip\r\n------b0undary--\r\n');
    expect(parseMultipart(named(Buffer.from('café-é.zip')), TYPE)[0]!.filename).toBe('café-é.zip');
    for (const fileName of [Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x7a]), Buffer.from([0x65, 0xff, 0xfe])]) {
      expect(() => parseMultipart(named(fileName), TYPE)).toThrow('malformed multipart/form-data part: its headers (a field or file name) are not UTF-8 text');
    }
  });
});
