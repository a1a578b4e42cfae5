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
