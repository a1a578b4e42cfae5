import { cyclicAliasIn, DomainError, duplicateKeyIn, duplicateKeyShown, QUIET_YAML, readableTags, yamlProblemShown } from '@slipway/contracts';
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Alias, type Document, type Node, type YAMLParseError } from 'yaml';
import { refuseUnkeepable } from './keepable';

/** Limits that keep a hostile YAML document from costing more than its size. */
const MAX_ALIASES = 50;

/**
 * A request body's YAML text → its one document's value. Errors name the line and column; a
 * key twice in one map, an alias inside the node it names (a cycle), aliases and merges past
 * their bounds, and what refuseUnkeepable refuses are refused. Large bodies are read on a
 * worker thread (parse-body.ts), so this module loads only what reading needs.
 */
export function readYamlBody(raw: string): unknown {
  // A separator after the document (as some writers end one) or a comment alone is no document.
  const lines = new LineCounter();
  // `<<` merge keys expanded, as kubectl reads a manifest (a quoted "<<" is a key like any other).
  const docs = parseAllDocuments(raw, { ...QUIET_YAML, customTags: readableTags, merge: true, uniqueKeys: false, lineCounter: lines });
  const documents = Array.isArray(docs) ? docs.filter((d) => d.errors.length > 0 || !isNothing(d.contents)) : [];
  if (documents.length === 0) throw new DomainError('invalid', 'request body is empty; send a JSON or YAML document');
  if (documents.length !== 1) throw new DomainError('invalid', `expected one YAML document, got ${documents.length}`);
  const [doc] = documents;
  const problem = doc!.errors[0];
  if (problem) throw new DomainError('invalid', `malformed YAML: ${describe(problem)}`);
  refuseDuplicateKeysAndCycles(doc!, lines);
  let value: unknown;
  try {
    // The library's own alias count walks the document for each alias: they are counted before (aliasWorkIn).
    value = doc!.toJS({ maxAliasCount: -1 });
  } catch (error) {
    throw new DomainError('invalid', `malformed YAML: ${error instanceof RangeError ? 'nested too deeply' : yamlProblemShown((error as Error).message)}`);
  }
  refuseUnkeepable(value);
  return value;
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
  const work = aliasWorkIn(doc);
  if (work.collectionKey) throw new DomainError('invalid', `malformed YAML: a map or a list as a key is not read (Kubernetes has none)${where(work.collectionKey)}`);
  if (work.expansions > MAX_ALIASES) throw new DomainError('invalid', `malformed YAML: its aliases (<< merges and those inside what they name included) stand for more than ${MAX_ALIASES} nodes in all`);
  if (work.merges > MAX_MERGES) throw new DomainError('invalid', `malformed YAML: more than ${MAX_MERGES} maps merged with <<`);
  if (work.entries > MAX_MERGED_ENTRIES) throw new DomainError('invalid', `malformed YAML: its << merge keys copy ${work.entries} entries or more; at most ${MAX_MERGED_ENTRIES}`);
}

/**
 * What aliases may cost the library's reading of a body, each bound checked here in one pass,
 * before it reads: every alias it resolves (one inside what another names counting again)
 * walks the document when the library counts them itself (30 aliases of a list of 30 aliases,
 * in 1 MiB: 45 s), so it is told not to, and they are counted here instead; each `<<` merge
 * walks it as well (8,000 merges of empty maps: 249 s), and copies its map anew, a few
 * microseconds an entry (49 merges of 90,000 keys: 16 s). Manifests merge a few labels.
 */
const MAX_MERGES = 10;
const MAX_MERGED_ENTRIES = 10_000;

/**
 * A merge key as the library reads one: `<<` unquoted, whose value it makes a symbol (a
 * quoted "<<" is a key like any other).
 */
const isMergeKey = (key: unknown): boolean =>
  isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && (!key.type || key.type === 'PLAIN')));

interface AliasWork {
  /** Alias resolutions reading the body takes, nested ones included. */
  expansions: number;
  /** Maps merged with `<<`, and the entries they copy (nested ones too). */
  merges: number;
  entries: number;
  /** A map or list given as a key: the library makes its text at a cost growing with the anchors met before it. */
  collectionKey?: Node;
}

/**
 * The alias work in a document, counted up to just past the bounds. An alias names the latest
 * anchor of its name before it (anchors are kept with where they are met, in one pass first).
 */
function aliasWorkIn(doc: Document): AliasWork {
  const anchors = new Map<string, Array<{ at: number; node: Node }>>();
  const merges: Array<{ value: unknown }> = [];
  const work: AliasWork = { expansions: 0, merges: 0, entries: 0 };
  visit(doc, (_, node) => {
    if (isNode(node) && node.anchor) {
      const list = anchors.get(node.anchor) ?? [];
      list.push({ at: node.range?.[0] ?? 0, node });
      anchors.set(node.anchor, list);
    }
    if (isPair(node)) {
      if (isMap(node.key) || isSeq(node.key)) {
        work.collectionKey = node.key;
        return visit.BREAK;
      }
      if (isMergeKey(node.key)) merges.push({ value: node.value });
    }
    return undefined;
  });
  if (work.collectionKey) return work;
  const target = (alias: Alias): unknown => {
    const at = alias.range?.[0] ?? Infinity;
    const met = (anchors.get(alias.source) ?? []).filter((anchor) => anchor.at < at);
    return met[met.length - 1]?.node;
  };
  // Resolutions within each node, nested aliases counted again where they are named (memoized
  // per node, capped just past the bound, so that aliases of aliases cost nothing to count).
  const within = new Map<unknown, number>();
  const resolutionsIn = (root: unknown): number => {
    const known = within.get(root);
    if (known !== undefined) return known;
    let total = 0;
    const pending = [root];
    while (pending.length > 0 && total <= MAX_ALIASES) {
      const node = pending.pop();
      if (isAlias(node)) {
        const named = target(node);
        total += 1 + (named === undefined ? 0 : resolutionsIn(named));
      } else if (isMap(node) || isSeq(node)) {
        for (const item of node.items) {
          if (isPair(item)) pending.push(item.key, item.value);
          else pending.push(item);
        }
      }
    }
    within.set(root, total);
    return total;
  };
  work.expansions = resolutionsIn(doc.contents);
  const resolved = (node: unknown): unknown => (isAlias(node) ? target(node) : node);
  for (const { value } of merges) {
    const named = resolved(value);
    const sources = isSeq(named) ? named.items.map(resolved) : [named];
    work.merges += sources.length;
    for (const source of sources) {
      // The entries it copies, and those of what it holds (aliases in it followed).
      const pending = [source];
      while (pending.length > 0 && work.entries <= MAX_MERGED_ENTRIES) {
        const node = resolved(pending.pop());
        if (!isMap(node) && !isSeq(node)) continue;
        work.entries += node.items.length;
        for (const item of node.items) pending.push(isPair(item) ? item.value : item);
      }
    }
    if (work.merges > MAX_MERGES || work.entries > MAX_MERGED_ENTRIES) break;
  }
  return work;
}

/** A document with nothing written in it (after a trailing `---`), not an explicit `null`. */
const isNothing = (contents: unknown): boolean => contents === null || (isScalar(contents) && contents.value === null && contents.source === '');

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
