import { UnsupportedMediaTypeException } from '@nestjs/common';
import { unstorableValueAt } from '@slipway/bus';
import { aliasLimitFor, cyclicAliasIn, DomainError, duplicateKeyIn, duplicateKeyShown, QUIET_YAML, withoutOrderedMaps, yamlProblemShown } from '@slipway/contracts';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, YAMLParseError, type Document, type Node } from 'yaml';
import { refuseDuplicateKeys } from './json-duplicate-keys';
import { jsonFault } from './json-fault';

/** Limits that keep a hostile YAML document from costing more than its size. */
const MAX_ALIASES = 50;

/** How deep a request's document may nest: far more than any document of the dialects, and no walk of it can overflow a stack. */
export const MAX_BODY_DEPTH = 128;

/**
 * The media types read as a document: JSON (and `+json`), YAML (and `+yaml`), and text that is neither
 * labelled otherwise (plain text, and what `curl -d` sends without a Content-Type of its
 * own), read as YAML, which JSON is a part of.
 */
export const READ_AS_YAML = /^(?:application|text)\/(?:x-)?(?:[\w.-]+\+)?ya?ml$|^text\/plain$|^application\/x-www-form-urlencoded$/;
const READ_AS_JSON = /^(?:application|text)\/(?:x-)?(?:[\w.-]+\+)?json$/;

/**
 * Parses a request body as JSON or YAML by its content type (YAML is a superset, so an
 * unlabelled body is read as YAML); any other type is refused 415. Errors name the line
 * and column. A key twice in one object is refused in either. So is what no later step
 * could keep or walk safely: nesting deeper than MAX_BODY_DEPTH, a NUL or a lone surrogate
 * (Postgres stores neither), an alias inside the node it names (a cycle).
 */
export function parseBody(raw: unknown, contentType: string | undefined): unknown {
  const value = parseDocument(raw, contentType);
  refuseUnkeepable(value);
  return value;
}

/** Refuses a parsed body nested deeper than MAX_BODY_DEPTH, or holding a NUL or a lone surrogate, naming where. */
export function refuseUnkeepable(value: unknown): void {
  const at = unstorableValueAt(value, MAX_BODY_DEPTH);
  if (at?.tooDeep) throw new DomainError('invalid', `request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  if (at) throw new DomainError('invalid', `${at.field || 'request body'}: ${at.reason}`, at.field || undefined);
}

function parseDocument(raw: unknown, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const json = READ_AS_JSON.test(type);
  // Bytes (multipart, an archive) are no document, whatever the caller takes the type for.
  if ((type !== '' && !json && !READ_AS_YAML.test(type)) || Buffer.isBuffer(raw)) throw new UnsupportedMediaTypeException();
  if (raw === undefined || raw === null || raw === '') throw new DomainError('invalid', 'request body is empty; send a JSON or YAML document');
  if (typeof raw !== 'string') return raw;
  if (json) return parseJson(raw);
  // A separator after the document (as some writers end one) or a comment alone is no document.
  const lines = new LineCounter();
  // `<<` merge keys expanded, as kubectl reads a manifest (a quoted "<<" is a key like any other).
  const docs = parseAllDocuments(raw, { ...QUIET_YAML, customTags: withoutOrderedMaps, merge: true, uniqueKeys: false, lineCounter: lines });
  const documents = Array.isArray(docs) ? docs.filter((d) => d.errors.length > 0 || !isNothing(d.contents)) : [];
  if (documents.length === 0) throw new DomainError('invalid', 'request body is empty; send a JSON or YAML document');
  if (documents.length !== 1) throw new DomainError('invalid', `expected one YAML document, got ${documents.length}`);
  const [doc] = documents;
  const problem = doc!.errors[0];
  if (problem) throw new DomainError('invalid', `malformed YAML: ${describe(problem)}`);
  refuseDuplicateKeysAndCycles(doc!, lines);
  try {
    return doc!.toJS({ maxAliasCount: aliasLimitFor(MAX_ALIASES) });
  } catch (error) {
    throw new DomainError('invalid', `malformed YAML: ${error instanceof RangeError ? 'nested too deeply' : yamlProblemShown((error as Error).message)}`);
  }
}

/**
 * A key twice in one map (which reading would settle silently, for the last), and an alias
 * inside the node its anchor names (a value that contains itself: no JSON, endless to walk).
 */
function refuseDuplicateKeysAndCycles(doc: Document, lines: LineCounter): void {
  const where = (node: Node) => {
    const at = node.range ? lines.linePos(node.range[0]) : undefined;
    return at ? ` (line ${at.line}, column ${at.col})` : '';
  };
  const duplicate = duplicateKeyIn(doc);
  if (duplicate) {
    const { key, field } = duplicateKeyShown(doc, duplicate);
    throw new DomainError('invalid', `malformed YAML: the key ${JSON.stringify(key)} appears twice in one map (${field})${where(duplicate)}`, field);
  }
  const cycle = cyclicAliasIn(doc);
  if (cycle) throw new DomainError('invalid', `malformed YAML: alias *${cycle.source} stands for a node that contains it${where(cycle)}`);
  const merged = mergesIn(doc);
  if (merged.merges > MAX_ALIASES) throw new DomainError('invalid', `malformed YAML: more than ${MAX_ALIASES} maps merged with << (as aliases, at most ${MAX_ALIASES})`);
  if (merged.entries > MAX_MERGED_ENTRIES) throw new DomainError('invalid', `malformed YAML: its << merge keys copy ${merged.entries} entries or more; at most ${MAX_MERGED_ENTRIES}`);
}

/**
 * How many entries `<<` merge keys may copy in all. The library builds each merge anew, a few
 * microseconds an entry (49 merges of a map of 90,000 keys, a 1 MiB body, held the event loop
 * 16 s), and its alias bound does not count merges (26,000 of empty maps took minutes):
 * merges are held to the aliases' bound, and what they copy to this. Manifests merge a few labels.
 */
const MAX_MERGED_ENTRIES = 10_000;

/**
 * A merge key as the library reads one: `<<` unquoted, whose value it makes a symbol (a
 * quoted "<<" is a key like any other).
 */
const isMergeKey = (key: unknown): boolean =>
  isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && (!key.type || key.type === 'PLAIN')));

/**
 * The maps the document merges with `<<`, and the entries they copy (nested ones too, counted
 * up to just past the bound), in one pass in document order: an alias names the latest anchor
 * before it, kept as the pass meets them (the library's own lookup walks the document each time).
 */
function mergesIn(doc: Document): { merges: number; entries: number } {
  const anchors = new Map<string, unknown>();
  let merges = 0;
  let entries = 0;
  // A stack, not recursion: a merged map may nest as deep as the document does.
  const count = (from: unknown): void => {
    const pending = [from];
    while (pending.length > 0 && entries <= MAX_MERGED_ENTRIES) {
      const node = pending.pop();
      const resolved = isAlias(node) ? anchors.get(node.source) : node;
      if (!isMap(resolved) && !isSeq(resolved)) continue;
      entries += resolved.items.length;
      for (const item of resolved.items) pending.push(isPair(item) ? item.value : item);
    }
  };
  visit(doc, (_, node) => {
    const anchor = (node as { anchor?: unknown }).anchor;
    if (typeof anchor === 'string') anchors.set(anchor, node);
    if (isPair(node) && isMergeKey(node.key)) {
      const sources = isSeq(node.value) ? node.value.items : [node.value];
      merges += sources.length;
      for (const source of sources) count(source);
    }
    return merges > MAX_ALIASES || entries > MAX_MERGED_ENTRIES ? visit.BREAK : undefined;
  });
  return { merges, entries };
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
  const at = error.linePos?.[0];
  const what = error.code === 'RESOURCE_EXHAUSTION' ? 'nested too deeply' : yamlProblemShown(error.message);
  return at ? `${what} (line ${at.line}, column ${at.col})` : what;
}
