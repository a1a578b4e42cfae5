import { isAlias, isMap, isScalar, isSeq, parse, Scalar, visit, type Document, type YAMLMap } from 'yaml';
import { parsedOnce, type Parsed } from './parsed-once';
import { elementPositions, isSecretKind, positionOf, type MapFacts, type Position } from './secret-positions';
import { REDACTED } from './redacted';
import { mergeSpans, type Span } from './spans';
import { applyEdits, readersEdits, type Edit } from './text-edits';
import { patternSpans, redactUnparsedText } from './text-patterns';
import { QUIET_YAML } from '../kubernetes-yaml';

/**
 * Text that may be YAML or JSON holding collections: a `key: value`, several lines, or a line
 * that may open one: a flow collection, a list entry or complex key (`- `, `? `), a document
 * start, a tag or an anchor (`- {"k":"v"}`, `--- [a]`, `!!map {…}`, `&a {…}`). Anything else
 * (names, timestamps, URLs) goes straight to the patterns. Sealing parses a text whatever it
 * looks like, but the strings inside it by this too, as every reader does.
 */
const MAYBE_DOCUMENT = /:\s|:$|\n|^[ \t]*(?:[[{!&]|[-?](?:[ \t]|$)|---)/m;

/** Whether text may hold YAML or JSON collections, which only parsing it tells the secrets of (MAYBE_DOCUMENT). */
export const mayHoldDocuments = (text: string): boolean => MAYBE_DOCUMENT.test(text);
/**
 * Above this size text is redacted by the patterns alone (and a Secret's text hidden
 * whole): the YAML parser takes about 150 ms for 64 KiB of real config, several times that
 * for hostile text, and the events API redacts every string of every event it answers.
 */
export const MAX_PARSED_TEXT = 64 * 1024;
/**
 * Text inside parsed text (a ConfigMap's file in a patch) is parsed too, and text inside
 * that (YAML in a string of a JSON file), but no deeper: the strings of one level are apart
 * in the text, so each level costs up to a parse of the whole again, and text nested a
 * hundred times would be parsed a hundred times over on every read. Deeper strings get the
 * patterns.
 */
const MAX_PARSE_DEPTH = 3;

/**
 * Strings inside text whose secret spans readers work out (secretSpans: the values a
 * description must not repeat, an audit page's patches) are parsed in turn up to this long:
 * the YAML parser reads flow collections at a few seconds per MiB, and such readers read
 * many texts on the event loop. Longer ones are judged by the patterns (one span, whole, if
 * those find a secret). Sealing parses them whatever their size (sealedSpans).
 */
const MAX_NESTED_SPANS_PARSE = 4 * 1024;

/** `unnamedEnv`: the rules for writes (see positionOf). */
interface Walk {
  source: string; document: Document; edits: Edit[]; depth: number; unnamedEnv: boolean;
  /** How long a string inside may be and still be parsed (MAX_PARSED_TEXT; MAX_NESTED_SPANS_PARSE for secretSpans; any length for a whole text). */
  maxParsed: number;
  /** The text's parse, shared with its other readings. */
  parsed: Parsed;
  /** The document's aliases and what each stands for, found at the first alias hidden. */
  aliases?: Map<unknown, unknown>;
  /** Anchored values already hidden for an alias. */
  hiddenTargets: Set<unknown>;
}

/**
 * Config and patch text with its secrets replaced. Text that parses as YAML or JSON (JSON
 * is YAML) is redacted by its structure, as objects are (secret-positions.ts), and by the
 * patterns (text-patterns.ts) besides, as sealing reads it (hidingEdits). Only the secret
 * values' characters are replaced, so the rest (target lines, layout) reads as it was
 * written. Other text is redacted by the patterns alone. `inSecret`: the text belongs to a
 * Secret (a stored patch of `kind: Secret`), so its `data`/`stringData` are the Secret's even
 * if it does not say so.
 */
export function redactSecretText(text: string, inSecret = false, depth = 0): string {
  return redactText(text, inSecret, depth, false);
}

/**
 * As redactSecretText, the text parsed whatever its size, and the config text in its strings
 * too (MAX_PARSE_DEPTH levels in all, as always): what a reader of stored config is shown. Above
 * MAX_PARSED_TEXT the patterns alone miss what only the structure tells, such as an alias
 * standing for a password or a complex key. Up to it the two are the same. A MiB takes the
 * parser about a second: larger text is redacted off the event loop (libs/runtime's
 * ReaderRedaction).
 */
export function redactWholeText(text: string, inSecret = false): string {
  return redactText(text, inSecret, 0, false, parsedOnce(text), Infinity);
}

/**
 * Patch text with its secrets replaced, for a reader who must not see them: as
 * redactWholeText, and a JSON-patch value of an env entry by index (`/env/0/value`,
 * whose name the patch does not say) too.
 */
export function redactPatchText(text: string, inSecret: boolean): string {
  return redactText(text, inSecret, 0, true, parsedOnce(text), Infinity);
}

function redactText(text: string, inSecret: boolean, depth: number, unnamedEnv: boolean, parsed = parsedOnce(text), maxParsed = MAX_PARSED_TEXT): string {
  const parseable = depth < MAX_PARSE_DEPTH && text.length <= maxParsed && MAYBE_DOCUMENT.test(text);
  const edits = parseable ? hidingEdits(text, inSecret, depth, unnamedEnv, parsed, maxParsed) : undefined;
  return edits ? applyEdits(text, readersEdits(text, edits)) : redactUnparsedText(text);
}

/**
 * What hides the secrets of text holding YAML or JSON collections, for readers and for the
 * log alike: the structure's edits (secret values, by secret-positions.ts) and the parts the
 * patterns find (text-patterns.ts: comments, names only they know, flags on a command line),
 * both read from the text as written. A reader sees hidden exactly what sealing keeps out of
 * the log (secretSpans): either alone misses what the other finds (a comment's `token: x` in
 * a patch with a flow list; a complex or escaped key, a plain scalar over several lines in
 * block YAML). Undefined when the text holds no collection the structure could read.
 */
function hidingEdits(source: string, inSecret: boolean, depth: number, unnamedEnv: boolean, parsed: Parsed, maxParsed: number): Edit[] | undefined {
  const edits = documentEdits(source, inSecret, depth, unnamedEnv, parsed, maxParsed);
  return edits && [...edits, ...patternSpans(source).map((span): Edit => ({ ...span, text: REDACTED, byPattern: true }))];
}


/**
 * redactSecretText of a string inside a parsed text, done once for the text's readings. They
 * may parse strings up to different sizes (maxParsed): what matters is whether this one is
 * parsed, since the strings inside it are shorter still, so readings that both parse it, or
 * both do not, share it.
 */
function redactInside(value: string, inSecret: boolean, depth: number, at: Walk): string {
  const { strings } = at.parsed;
  const redact = () => redactText(value, inSecret, depth, false, parsedOnce(value), at.maxParsed);
  if (!strings) return redact();
  const key = `${inSecret} ${depth} ${value.length <= at.maxParsed} ${value}`;
  let redacted = strings.get(key);
  if (redacted === undefined) strings.set(key, (redacted = redact()));
  return redacted;
}

/** The edits that hide the documents' secrets, or undefined when the text holds no collection it could read. */
function documentEdits(source: string, inSecret: boolean, depth: number, unnamedEnv: boolean, parsed: Parsed, maxParsed: number): Edit[] | undefined {
  try {
    const documents = parsed.documents();
    if (documents === undefined || documents.some((d) => d.errors.some((error) => error.code === 'RESOURCE_EXHAUSTION'))) return unreadable(source);
    if (documents.some((d) => d.errors.length > 0)) return undefined;
    if (!documents.some((d) => isMap(d.contents) || isSeq(d.contents))) return undefined;
    const edits: Edit[] = [];
    for (const document of documents) walk(document.contents, inSecret, false, { source, document, edits, depth, unnamedEnv, parsed, maxParsed, hiddenTargets: new Set() });
    return edits;
  } catch {
    return unreadable(source);
  }
}

/**
 * Text nested deeper than the parser's (or the walk's) stack allows is secret whole: what
 * it holds cannot be told here, while JSON.parse and Go read thousands of levels, so a
 * password in it would be read by whatever the text is for (the patterns missed one behind an
 * escaped key at 1,000 levels).
 */
const unreadable = (source: string): Edit[] => [{ start: 0, end: source.length, text: REDACTED }];

/**
 * Where YAML or JSON text holds secrets: the spans redaction would replace, by the same
 * rules and the same edits (hidingEdits: the structure's, a string holding config text or a
 * URL with a password one span, whole; and the patterns'), and JSON-patch values of env
 * entries by index too. The text is parsed whatever its size; strings inside it that read
 * like documents up to MAX_NESTED_SPANS_PARSE each, longer ones judged by the patterns: what
 * readers of many texts work out (sealing parses them all: sealedSpans). Undefined when the
 * text holds no collection it could read (the patterns alone then find its secrets); spans
 * come in order, overlapping ones made one.
 */
export function secretSpans(text: string, inSecret = false): Span[] | undefined {
  return spansIn(text, inSecret, parsedOnce(text), MAX_NESTED_SPANS_PARSE);
}

/**
 * As secretSpans, the strings inside parsed whatever their size (MAX_PARSE_DEPTH levels in all), as
 * redactWholeText reads them for a reader: what sealing keeps out of the log. A ConfigMap's
 * file past MAX_NESTED_SPANS_PARSE may hold a password only its structure tells (an escaped
 * key, an alias), which the patterns miss. It costs up to a parse of each level again (the
 * strings of one level are apart in the text): a MiB of text a few seconds at worst, so long
 * texts are worked out off the event loop (libs/sealing's CommandSeals.prepare).
 */
export function sealedSpans(text: string, inSecret = false): Span[] | undefined {
  return spansIn(text, inSecret, parsedOnce(text), Infinity);
}

function spansIn(text: string, inSecret: boolean, parsed: Parsed, maxParsed: number): Span[] | undefined {
  const edits = hidingEdits(text, inSecret, 0, true, parsed, maxParsed);
  return edits && mergeSpans(edits);
}

/**
 * A text as a reader sees it (redactSecretText) and where it holds secrets (secretSpans),
 * from one parse: the YAML parser is most of either's cost (a patch event's text is read
 * both ways on every read of the audit log).
 */
export function redactedWithSecretSpans(text: string, inSecret: boolean): { redacted: string; spans: Span[] | undefined } {
  const parsed = parsedOnce(text, true);
  return { redacted: redactText(text, inSecret, 0, false, parsed), spans: spansIn(text, inSecret, parsed, MAX_NESTED_SPANS_PARSE) };
}

function walk(node: unknown, inSecret: boolean, inFlow: boolean, at: Walk): void {
  if (isMap(node)) {
    const facts = factsOf(node);
    const below = inSecret || isSecretKind(facts);
    for (const pair of node.items) {
      const position: Position = isScalar(pair.key) ? positionOf(String(pair.key.value), facts, inSecret, at.unnamedEnv) : 'open';
      if (position === 'secret') hide(pair.value, Boolean(node.flow), at);
      else if (position === 'secret-entries') hideEntries(pair.value, Boolean(node.flow), at);
      else walk(pair.value, below, Boolean(node.flow), at);
    }
  } else if (isSeq(node)) {
    // A flag naming a secret makes the element after it secret (`args: ["--token", "abc"]`).
    const positions = elementPositions(node.items.map((item) => (isScalar(item) ? item.value : item)));
    node.items.forEach((item, i) => (positions[i] === 'secret' ? hide(item, Boolean(node.flow), at) : walk(item, inSecret, Boolean(node.flow), at)));
  } else if (isScalar(node) && typeof node.value === 'string') {
    // A string may itself be config text (a ConfigMap's file) or hold a URL with a password.
    const redacted = redactInside(node.value, inSecret, at.depth + 1, at);
    if (redacted !== node.value) replace(node, writtenLike(node, redacted, inFlow, at.source), at);
  }
}

function factsOf(map: YAMLMap): MapFacts {
  return {
    kind: map.get('kind'), name: map.get('name'), op: map.get('op'), path: map.get('path'),
    // Present, whatever they hold (`value:` empty reads as null): they make the map an env entry.
    value: map.has('value') ? true : undefined, valueFrom: map.has('valueFrom') ? true : undefined,
  };
}

/**
 * What each alias of the document stands for: the node that last took its anchor before
 * it, as YAML resolves it. Found in one pass: resolving each alias by itself searches the
 * document from its start, and thousands of aliases took seconds on every read.
 */
function aliasTargets(document: Document): Map<unknown, unknown> {
  const anchored = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  visit(document, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchored.get(node.source));
      else if (node.anchor) anchored.set(node.anchor, node);
    },
  });
  return targets;
}

/** A secret value: replaced whole, a collection too. Empty values stay (that one is unset is no secret). */
function hide(node: unknown, inFlow: boolean, at: Walk): void {
  if (isAlias(node)) {
    // `password: *anchor` shows the anchored value where it is defined: hide it there too.
    at.aliases ??= aliasTargets(at.document);
    const target = at.aliases.get(node);
    // The anchored value is hidden once, however many aliases use it.
    if (target !== undefined && !at.hiddenTargets.has(target)) {
      at.hiddenTargets.add(target);
      hide(target, inFlow, at);
    }
    return replace(node, REDACTED, at);
  }
  if (!hasRange(node) || (isScalar(node) && (node.value === '' || node.value === null))) return;
  const quote = isScalar(node) && node.type === Scalar.QUOTE_SINGLE ? "'" : (isScalar(node) && node.type === Scalar.QUOTE_DOUBLE) || inFlow ? '"' : '';
  // Plain `[redacted]` in block style, as the regexes always wrote it; quoted where it must
  // stay a string (JSON, flow collections) or was quoted.
  const lineEnd = at.source.slice(node.range[0], node.range[1]).endsWith('\n') ? '\n' : '';
  replace(node, `${quote}${REDACTED}${quote}${lineEnd}`, at);
}

/** A Secret's `data`/`stringData`: each value hidden, the keys kept. */
function hideEntries(node: unknown, inFlow: boolean, at: Walk): void {
  if (!isMap(node)) return hide(node, inFlow, at);
  for (const pair of node.items) hide(pair.value, Boolean(node.flow), at);
}

type Ranged = { range: [number, number, number] };
const hasRange = (node: unknown): node is Ranged => Boolean(node && typeof node === 'object' && Array.isArray((node as Partial<Ranged>).range));

function replace(node: unknown, text: string, at: Walk): void {
  if (hasRange(node)) at.edits.push({ start: node.range[0], end: node.range[1], text });
}

/**
 * A redacted string written in its scalar's style where that still reads back as the same
 * string: a literal block stays a block, a plain scalar plain when it parses back to itself;
 * otherwise double-quoted (a JSON string is a valid YAML one).
 */
function writtenLike(node: Scalar, value: string, inFlow: boolean, source: string): string {
  const written = source.slice(node.range![0], node.range![1]);
  const lineEnd = written.endsWith('\n') ? '\n' : '';
  if (node.type === Scalar.BLOCK_LITERAL) {
    const [header = '|', ...lines] = written.replace(/\n$/, '').split('\n');
    const indent = /^ */.exec(lines.find((line) => line.trim() !== '') ?? '')?.[0] || '  ';
    if (/^\|-?$/.test(header.trim())) {
      const body = value.replace(/\n$/, '').split('\n').map((line) => (line ? indent + line : line));
      return [header, ...body].join('\n') + lineEnd;
    }
  }
  if (node.type === Scalar.PLAIN && !value.includes('\n') && !(inFlow && /[,[\]{}]/.test(value)) && readsAsItself(value)) return value + lineEnd;
  return JSON.stringify(value) + lineEnd;
}

function readsAsItself(value: string): boolean {
  try {
    return parse(value, QUIET_YAML) === value;
  } catch {
    return false;
  }
}

