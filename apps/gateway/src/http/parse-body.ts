import { DomainError } from '@slipway/contracts';
import { parseAllDocuments, YAMLParseError } from 'yaml';
import { jsonFault } from './json-fault';

/** Limits that keep a hostile YAML document from costing more than its size. */
const MAX_ALIASES = 50;

/**
 * Parses a request body as JSON or YAML by its content type (YAML is a superset, so an
 * unlabelled body is read as YAML). Errors name the line and column.
 */
export function parseBody(raw: unknown, contentType: string | undefined): unknown {
  if (raw === undefined || raw === null || raw === '') throw new DomainError('invalid', 'request body is empty; send a JSON or YAML document');
  if (Buffer.isBuffer(raw)) throw new DomainError('invalid', `this endpoint takes a JSON or YAML document, not ${contentType ?? 'binary data'}`);
  if (typeof raw !== 'string') return raw;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw new DomainError('invalid', `malformed JSON: ${jsonFault(raw, (error as Error).message)}`);
    }
  }
  const docs = parseAllDocuments(raw, { uniqueKeys: true });
  if (!Array.isArray(docs)) throw new DomainError('invalid', 'request body is empty; send a JSON or YAML document');
  if (docs.length !== 1) throw new DomainError('invalid', `expected one YAML document, got ${docs.length}`);
  const [doc] = docs;
  const problem = doc!.errors[0];
  if (problem) throw new DomainError('invalid', `malformed YAML: ${describe(problem)}`);
  try {
    return doc!.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new DomainError('invalid', `malformed YAML: ${error instanceof RangeError ? 'nested too deeply' : (error as Error).message}`);
  }
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
