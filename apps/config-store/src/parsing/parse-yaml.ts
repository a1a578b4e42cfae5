import { aliasLimitFor, cyclicAliasIn, DomainError, duplicateKeyIn, duplicateKeyShown, KUBERNETES_YAML, yamlProblemShown } from '@slipway/contracts';
import { isJsonObject, type JsonObject, type JsonValue } from '@slipway/materializer';
// The one file of sealing this needs: large uploads are read on a worker thread, which loads no more than it uses.
import { refuseSecretCopies } from '@slipway/sealing/seal-text';
import { LineCounter, parseDocument } from 'yaml';
import { YAML_LIMITS } from './limits';
import { refuseUnstorable, tooDeep } from './refuse-unstorable';
import { whereIs, type SourceDocument } from './split-documents';

/**
 * One YAML (or JSON) document → a plain value; errors name the document (`noun` n) and
 * line. A value Postgres cannot store, or nested too deeply for the code after this, is
 * refused here, where the field and the document can still be named.
 */
export function parseYamlDocument(source: SourceDocument, field: string, noun = 'document'): JsonValue {
  const where = `${field}: ${whereIs(source, noun)}`;
  // Keys are checked below, in one pass (duplicateKeyIn): the library's check costs the square of a map's size.
  const lines = new LineCounter();
  const doc = parseDocument(source.text, { ...KUBERNETES_YAML, uniqueKeys: false, prettyErrors: true, lineCounter: lines });
  const problem = doc.errors[0];
  // The composer reports its own stack overflow as RESOURCE_EXHAUSTION, with the RangeError's text.
  if (problem?.code === 'RESOURCE_EXHAUSTION') throw tooDeep(where, field);
  const refuse = (what: string, at: { line: number; col: number } | undefined) => {
    const position = at ? { ...source, line: source.line + at.line - 1, column: at.col } : source;
    return new DomainError('invalid', `${field}: ${whereIs(position, noun)}: malformed YAML: ${what}`, field);
  };
  if (problem) throw refuse(yamlProblemShown(problem.message), problem.linePos?.[0]);
  const duplicate = duplicateKeyIn(doc);
  if (duplicate) {
    const { key, field: at } = duplicateKeyShown(doc, duplicate);
    throw refuse(`the key ${JSON.stringify(key)} appears twice in one map (${at})`, duplicate.range ? lines.linePos(duplicate.range[0]) : undefined);
  }
  // A value holding itself: no JSON, and every walk of it after this would recurse without end.
  const cycle = cyclicAliasIn(doc);
  if (cycle) throw refuse(`alias *${cycle.source} stands for a node that contains it`, cycle.range ? lines.linePos(cycle.range[0]) : undefined);
  let value: JsonValue;
  try {
    value = doc.toJS({ maxAliasCount: aliasLimitFor(YAML_LIMITS.maxAliases) }) as JsonValue;
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(where, field);
    throw new DomainError('invalid', `${where}: malformed YAML: ${yamlProblemShown((error as Error).message)}`, field);
  }
  const most = source.text.length * YAML_LIMITS.expansion.times + YAML_LIMITS.expansion.plusBytes;
  if (expandsPast(value, most)) {
    throw new DomainError('invalid', `${where}: its aliases expand it past ${most} characters (twice its text, and 4 KiB more): write out what they stand for, or shorten what they copy`, field);
  }
  refuseUnstorable(value, where, field);
  if (holdsMergeKey(value)) throw new DomainError('invalid', `${where}: merge keys (<<) are not read here: write the merged keys out`, field);
  return value;
}

/**
 * Whether the value's keys and scalars, each alias's copy counted again, come to more than
 * `most` characters; it stops counting there (the aliases toJS expanded share their values,
 * so the walk is what costs, bounded by the alias count).
 */
function expandsPast(value: JsonValue, most: number): boolean {
  let left = most;
  const pending: JsonValue[] = [value];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (Array.isArray(next)) pending.push(...next);
    else if (isJsonObject(next)) {
      for (const [key, item] of Object.entries(next)) {
        left -= key.length;
        pending.push(item);
      }
    } else left -= next === null ? 4 : String(next).length;
    if (left < 0) return true;
  }
  return false;
}

/** Whether a mapping anywhere in the value has a `<<` key. */
function holdsMergeKey(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some(holdsMergeKey);
  if (!isJsonObject(value)) return false;
  return Object.hasOwn(value, '<<') || Object.values(value).some(holdsMergeKey);
}

export function parseYamlObject(source: SourceDocument, field: string): JsonObject {
  const value = parseYamlDocument(source, field);
  if (!isJsonObject(value)) throw new DomainError('invalid', `${field}: ${whereIs(source)} must be a mapping`, field);
  return value;
}

/**
 * Refuses a document whose alias copies a secret value to where it is not kept secret
 * (refuseSecretCopies), naming the document and the alias's line as sent. Judged here, on
 * the text as sent: a base config is stored as written out from what was read, its aliases
 * expanded, where no later check could tell a copy from a value.
 */
export function refuseSecretAliases(source: SourceDocument, inSecret: boolean, field: string, noun = 'document'): void {
  refuseSecretCopies(source.text, inSecret, field, { where: `${field}: ${whereIs(source, noun)}`, line: source.line });
}
