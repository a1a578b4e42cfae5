import { gzipSync } from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';

/** Test archives: zips from fflate (a real zip writer), tars written here block by block. */
export const zip = (files: Zippable): Buffer => Buffer.from(zipSync(files));

export interface TarEntry { name: string; body?: string | Buffer; type?: string; link?: string }

function header(entry: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(entry.name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(entry.type ?? '0', 156);
  if (entry.link) h.write(entry.link, 157, 100);
  h.write('ustar\0', 257);
  h.write('00', 263);
  const sum = h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

export function tar(entries: TarEntry[]): Buffer {
  const blocks = entries.flatMap((entry) => {
    const body = Buffer.from(entry.body ?? '');
    return [header(entry, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512)];
  });
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

export const tarGz = (entries: TarEntry[]): Buffer => gzipSync(tar(entries));

export const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;
