import { DomainError } from '@slipway/contracts';
import { YAML_LIMITS } from './limits';

export interface SourceDocument {
  /** 1-based position among the non-empty documents. */
  index: number;
  /** 1-based line of the document's first line in the whole text, or in its file. */
  line: number;
  /** The archive entry the document came from (see FILE_SEPARATOR). */
  file?: string;
  text: string;
}

const SEPARATOR = /^---(\s.*)?$/;
/** The gateway leads each file of an uploaded archive with `--- # file: <path>`. */
const FILE_SEPARATOR = /^---\s+#\s*file:\s*(\S.*?)\s*$/;

/** Where a document is, for messages: `document 3 (line 12)`, `document 3 (a/b.yaml, line 12, column 4)`. */
export const whereIs = (source: Omit<SourceDocument, 'text'> & { column?: number }, noun = 'document'): string =>
  `${noun} ${source.index} (${source.file ? `${source.file}, ` : ''}line ${source.line}${source.column ? `, column ${source.column}` : ''})`;
const isBlank = (text: string): boolean => text.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'));

/**
 * Splits a multi-document YAML text on `---` lines, as kubectl does, keeping each
 * document's text (comments included: patches carry their `# target:` line in them).
 * Documents holding only comments or blank lines are dropped.
 */
export function splitDocuments(text: string, field: string, keepComments = false): SourceDocument[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const documents: SourceDocument[] = [];
  let start = 0;
  let file: { name: string; from: number } | undefined;
  const at = (index: number) => ({ index, line: start + 1 - (file?.from ?? 0), ...(file ? { file: file.name } : {}) });
  const flush = (end: number) => {
    const body = lines.slice(start, end).join('\n');
    if (!isBlank(body) || (keepComments && body.trim() !== '')) {
      if (Buffer.byteLength(body) > YAML_LIMITS.maxDocumentBytes) {
        throw new DomainError('invalid', `${field}: ${whereIs(at(documents.length + 1))} is larger than ${YAML_LIMITS.maxDocumentBytes} bytes`, field);
      }
      documents.push({ ...at(documents.length + 1), text: body });
      if (documents.length > YAML_LIMITS.maxDocuments) {
        throw new DomainError('invalid', `${field}: more than ${YAML_LIMITS.maxDocuments} documents`, field);
      }
    }
  };
  lines.forEach((line, i) => {
    if (SEPARATOR.test(line)) {
      // `--- {kind: ConfigMap, ...}`: kubectl refuses the separator; dropped, the document would be lost unseen.
      const rest = line.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        throw new DomainError('invalid', `${field}: line ${i + 1 - (file?.from ?? 0)}${file ? ` of ${file.name}` : ''} holds a document on its "---" separator: start the document on the next line`, field);
      }
      flush(i);
      start = i + 1;
      const named = FILE_SEPARATOR.exec(line);
      if (named) file = { name: named[1]!, from: start };
    }
  });
  flush(lines.length);
  return documents;
}
