import { DomainError } from '@slipway/contracts';
import { isJsonObject, type JsonObject, type JsonValue } from '@slipway/materializer';
import { parseDocument } from 'yaml';
import { YAML_LIMITS } from './limits';
import { whereIs, type SourceDocument } from './split-documents';

/** One YAML (or JSON) document → a plain value; errors name the document and line. */
export function parseYamlDocument(source: SourceDocument, field: string): JsonValue {
  const doc = parseDocument(source.text, { uniqueKeys: true, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = problem.linePos?.[0];
    const where = whereIs(at ? { ...source, line: source.line + at.line - 1 } : source);
    throw new DomainError('invalid', `${field}: ${where}: malformed YAML: ${problem.message.split('\n')[0]}`, field);
  }
  try {
    return doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliases }) as JsonValue;
  } catch (error) {
    throw new DomainError('invalid', `${field}: ${whereIs(source)}: malformed YAML: ${(error as Error).message}`, field);
  }
}

export function parseYamlObject(source: SourceDocument, field: string): JsonObject {
  const value = parseYamlDocument(source, field);
  if (!isJsonObject(value)) throw new DomainError('invalid', `${field}: ${whereIs(source)} must be a mapping`, field);
  return value;
}
