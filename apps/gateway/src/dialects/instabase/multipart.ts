import { DomainError } from '@slipway/contracts';

export interface Part {
  name: string;
  filename?: string;
  content: string;
}

const MAX_PARTS = 100;

/**
 * multipart/form-data → parts. Bodies reach the gateway as text, so text parts (fields,
 * .yml/.yaml/.json files) arrive intact; binary parts do not (see docs/api-dialects.md).
 */
export function parseMultipart(body: string, contentType: string): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new DomainError('invalid', 'multipart/form-data without a boundary');
  const chunks = body.split(`--${marker}`);
  if (chunks.length < 3) throw new DomainError('invalid', 'malformed multipart/form-data body: no parts found');
  const parts: Part[] = [];
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    const split = chunk.indexOf('\r\n\r\n') >= 0 ? chunk.indexOf('\r\n\r\n') : chunk.indexOf('\n\n');
    if (split < 0) throw new DomainError('invalid', 'malformed multipart/form-data part: no header end');
    const head = chunk.slice(0, split);
    const content = chunk.slice(split + (chunk.startsWith('\r\n', split) ? 4 : 2)).replace(/\r?\n$/, '');
    const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new DomainError('invalid', 'malformed multipart/form-data part: no field name');
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    parts.push({ name, ...(filename !== undefined ? { filename } : {}), content });
    if (parts.length > MAX_PARTS) throw new DomainError('invalid', `more than ${MAX_PARTS} multipart parts`);
  }
  return parts;
}
