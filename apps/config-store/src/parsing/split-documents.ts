import { DomainError } from '@slipway/contracts';
import { YAML_LIMITS } from './limits';

export interface SourceDocument {
  /** 1-based position among the non-empty documents. */
  index: number;
  /** 1-based line of the document's first line in the whole text. */
  line: number;
  text: string;
}

const SEPARATOR = /^---(\s.*)?$/;
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
  const flush = (end: number) => {
    const body = lines.slice(start, end).join('\n');
    if (!isBlank(body) || (keepComments && body.trim() !== '')) {
      if (Buffer.byteLength(body) > YAML_LIMITS.maxDocumentBytes) {
        throw new DomainError('invalid', `${field}: document ${documents.length + 1} (line ${start + 1}) is larger than ${YAML_LIMITS.maxDocumentBytes} bytes`, field);
      }
      documents.push({ index: documents.length + 1, line: start + 1, text: body });
      if (documents.length > YAML_LIMITS.maxDocuments) {
        throw new DomainError('invalid', `${field}: more than ${YAML_LIMITS.maxDocuments} documents`, field);
      }
    }
  };
  lines.forEach((line, i) => {
    if (SEPARATOR.test(line)) {
      flush(i);
      start = i + 1;
    }
  });
  flush(lines.length);
  return documents;
}
