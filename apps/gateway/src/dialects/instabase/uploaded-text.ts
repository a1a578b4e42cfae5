import { DomainError } from '@slipway/contracts';
import { archiveFormat, readArchive, refuserFor, uploadNamed } from './archive';
import type { UploadedFile } from './input';
import { isArchive } from './route';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The configs text of an uploaded file. An archive (.zip, .tar.gz, .tar, known by its
 * bytes) becomes multi-document YAML: each of its .yaml/.yml/.json files after a
 * `--- # file: <path>` separator, which the config store's parser reads to name the file
 * in its errors. Any other file is taken as UTF-8 text.
 */
export function uploadedText(file: UploadedFile, field: string): string {
  const refuse = refuserFor(file.filename, field);
  if (archiveFormat(file.bytes)) return readArchive(file.bytes, refuse).map((f) => `--- # file: ${f.path}\n${f.text}`).join('\n');
  if (isArchive(file.filename)) refuse('is named like an archive but is not a .zip, .tar.gz or .tar archive');
  try {
    return utf8.decode(file.bytes);
  } catch {
    throw new DomainError('invalid', `${uploadNamed(field, file.filename)} is neither UTF-8 text nor a .zip, .tar.gz or .tar archive`, field);
  }
}
