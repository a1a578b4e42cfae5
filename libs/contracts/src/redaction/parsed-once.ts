import { parseAllDocuments, type Document } from 'yaml';
import { QUIET_YAML } from '../kubernetes-yaml';

/**
 * A text's documents, parsed when first asked for and then kept (undefined when they cannot
 * be: nesting deeper than the stack allows), and the redaction of the strings inside them,
 * kept as each is done: walked twice (for a reader, for the spans), a text is read once.
 */
export interface Parsed {
  documents(): Document[] | undefined;
  /** redactSecretText of a string inside, by `<inSecret> <depth> <string>`: kept only where the text is read more than once. */
  strings?: Map<string, string>;
}

export function parsedOnce(source: string, readTwice = false): Parsed {
  let documents: Document[] | undefined;
  let parsed = false;
  return {
    documents() {
      if (!parsed) {
        parsed = true;
        try {
          documents = parseAllDocuments(source, { ...QUIET_YAML, uniqueKeys: false }) as Document[];
        } catch {
          documents = undefined;
        }
      }
      return documents;
    },
    ...(readTwice ? { strings: new Map<string, string>() } : {}),
  };
}
