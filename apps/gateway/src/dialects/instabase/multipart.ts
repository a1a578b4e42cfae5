import { DomainError } from '@slipway/contracts';

export interface Part {
  name: string;
  filename?: string;
  content: Buffer;
}

const MAX_PARTS = 100;

function indexOfEither(body: Buffer, a: string, b: string, from: number): { at: number; length: number } {
  const first = body.indexOf(a, from);
  if (first >= 0) return { at: first, length: a.length };
  const second = body.indexOf(b, from);
  return { at: second, length: b.length };
}

/**
 * multipart/form-data → parts, on the raw bytes so that binary files (archives) arrive
 * intact. Each part ends where CRLF (or a bare LF, from lenient clients) and the boundary
 * delimiter begin.
 */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new DomainError('invalid', 'multipart/form-data without a boundary');
  const delimiter = `--${marker}`;
  let at = body.indexOf(delimiter);
  if (at < 0) throw new DomainError('invalid', 'malformed multipart/form-data body: no parts found');
  const parts: Part[] = [];
  for (;;) {
    at += delimiter.length;
    if (body.toString('latin1', at, at + 2) === '--') break;
    const head = indexOfEither(body, '\r\n\r\n', '\n\n', at);
    if (head.at < 0) throw new DomainError('invalid', 'malformed multipart/form-data part: no header end');
    const start = head.at + head.length;
    const end = indexOfEither(body, `\r\n${delimiter}`, `\n${delimiter}`, start);
    if (end.at < 0) throw new DomainError('invalid', 'malformed multipart/form-data body: a part has no closing boundary');
    parts.push(partOf(partHeaders(body.subarray(at, head.at)), body.subarray(start, end.at)));
    if (parts.length > MAX_PARTS) throw new DomainError('invalid', `more than ${MAX_PARTS} multipart parts`);
    at = end.at + end.length - delimiter.length;
  }
  if (parts.length === 0) throw new DomainError('invalid', 'malformed multipart/form-data body: no parts found');
  return parts;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A part's headers as text: UTF-8 (RFC 7578 4.2: a file name is sent as it is), refused when
 * they are not, as every body's text is. Read leniently, bytes of another encoding (a file
 * name in Latin-1) became U+FFFD, kept as the import's file name and named as an unknown field.
 */
function partHeaders(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new DomainError('invalid', 'malformed multipart/form-data part: its headers (a field or file name) are not UTF-8 text');
  }
}

function partOf(head: string, content: Buffer): Part {
  const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) throw new DomainError('invalid', 'malformed multipart/form-data part: no field name');
  const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  return { name, ...(filename !== undefined ? { filename } : {}), content };
}
