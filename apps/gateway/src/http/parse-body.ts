import { UnsupportedMediaTypeException } from '@nestjs/common';
import { DomainError } from '@slipway/contracts';
import { isScalar, parseAllDocuments, YAMLParseError } from 'yaml';
import { refuseDuplicateKeys } from './json-duplicate-keys';
import { jsonFault } from './json-fault';

/** Limits that keep a hostile YAML document from costing more than its size. */
const MAX_ALIASES = 50;

/**
 * The media types read as a document: JSON (and `+json`), YAML (and `+yaml`), and text that is neither
 * labelled otherwise (plain text, and what `curl -d` sends without a Content-Type of its
 * own), read as YAML, which JSON is a part of.
 */
const READ_AS_YAML = /^(?:application|text)\/(?:x-)?(?:[\w.-]+\+)?ya?ml$|^text\/plain$|^application\/x-www-form-urlencoded$/;
const READ_AS_JSON = /^(?:application|text)\/(?:x-)?(?:[\w.-]+\+)?json$/;

/**
 * Parses a request body as JSON or YAML by its content type (YAML is a superset, so an
 * unlabelled body is read as YAML); any other type is refused 415. Errors name the line
 * and column. A key twice in one object is refused in either.
 */
export function parseBody(raw: unknown, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const json = READ_AS_JSON.test(type);
  // Bytes (multipart, an archive) are no document, whatever the caller takes the type for.
  if ((type !== '' && !json && !READ_AS_YAML.test(type)) || Buffer.isBuffer(raw)) throw new UnsupportedMediaTypeException();
  if (raw === undefined || raw === null || raw === '') throw new DomainError('invalid', 'request body is empty; send a JSON or YAML document');
  if (typeof raw !== 'string') return raw;
  if (json) return parseJson(raw);
  // A separator after the document (as some writers end one) or a comment alone is no document.
  const docs = parseAllDocuments(raw, { uniqueKeys: true });
  const documents = Array.isArray(docs) ? docs.filter((d) => d.errors.length > 0 || !isNothing(d.contents)) : [];
  if (documents.length === 0) throw new DomainError('invalid', 'request body is empty; send a JSON or YAML document');
  if (documents.length !== 1) throw new DomainError('invalid', `expected one YAML document, got ${documents.length}`);
  const [doc] = documents;
  const problem = doc!.errors[0];
  if (problem) throw new DomainError('invalid', `malformed YAML: ${describe(problem)}`);
  try {
    return doc!.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new DomainError('invalid', `malformed YAML: ${error instanceof RangeError ? 'nested too deeply' : (error as Error).message}`);
  }
}

/** A document with nothing written in it (after a trailing `---`), not an explicit `null`. */
const isNothing = (contents: unknown): boolean => contents === null || (isScalar(contents) && contents.value === null && contents.source === '');

function parseJson(raw: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new DomainError('invalid', `malformed JSON: ${jsonFault(raw, (error as Error).message)}`);
  }
  refuseDuplicateKeys(raw, 'malformed JSON');
  return parsed;
}

/**
 * The problem and its position, said once: the library's message already ends with
 * ` at line 2, column 11:` (then a code excerpt). Its own stack overflow (RESOURCE_EXHAUSTION,
 * a RangeError's text) is a document nested too deeply, not a JavaScript error to show.
 */
function describe(error: YAMLParseError): string {
  const [firstLine] = error.message.split('\n');
  const at = error.linePos?.[0];
  const what = error.code === 'RESOURCE_EXHAUSTION' ? 'nested too deeply' : firstLine!.replace(/ at line \d+, column \d+:?$/, '');
  return at ? `${what} (line ${at.line}, column ${at.col})` : what;
}
