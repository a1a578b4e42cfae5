import { createHmac } from 'node:crypto';
import { copySpans, declaresSecret, DomainError, keptSecretSpans, patternSpans, QUIET_YAML, replacingSpans, SEALED_TOKEN, SEALED_TOKEN_PREFIX, sealedSpans, type Span } from '@slipway/contracts';
import { isAlias, LineCounter, parseAllDocuments, visit, type Document, type Node } from 'yaml';

/**
 * Secrets in text a command records (config text: a Secret's values, an env entry or a
 * JSON-patch operation named like a secret, a URL with a password; a target's annotation)
 * are kept out of the event log: before text is recorded, each secret span is replaced by a
 * token, and the span itself is kept beside the log (seal-store.ts), as Kubernetes keeps
 * Secret values out of its events. Tokens are quoted strings, so sealed config mostly
 * still reads as YAML in the audit log; nothing needs it to: the deciders only compare
 * sealed texts, and projections put the spans back (unsealText) before they read them.
 */
const PREFIX = SEALED_TOKEN_PREFIX;
const TOKEN = SEALED_TOKEN;
/** What refuseTokens looks for. */
const RESERVED = /slipway-sealed:/i;

export interface Sealed {
  text: string;
  /** token → the span it replaced. */
  values: ReadonlyMap<string, string>;
}

/**
 * A token that depends only on the span and the store's key: sealing the same text twice
 * gives the same text (an unchanged upload is seen as unchanged), and the log holds no
 * digest of the secret that could be checked against guesses without the key.
 */
export function tokenOf(key: string, span: string): string {
  return PREFIX + createHmac('sha256', key).update(span).digest('base64url');
}

/** Where a text holds secrets, as sealedSpans found them (undefined: it holds no collection it could read). */
export interface FoundSpans { spans: Span[] | undefined }

/**
 * The text with its secrets replaced by tokens. `inSecret`: the text is a Secret's (see
 * redactSecretText). Text whose tokens would not give it back is sealed whole. `found`: its
 * spans worked out before (on a worker, for a long text: CommandSeals.prepare).
 * Aliases are not judged here: the text sealed may be one written from what was read (a
 * base config's), which has none; the parsers refuse those of the text as sent (refuseSecretCopies).
 */
export function sealText(key: string, text: string, inSecret: boolean, field: string, worked?: FoundSpans): Sealed {
  refuseTokens(text, field);
  // What redaction hides from a reader, by structure and by the shape of the text (the
  // patterns also find secrets in comments, and names the structure misses): sealed text need
  // not parse (everything that reads it puts the spans back first), only give the original back.
  const found = worked ? worked.spans : sealedSpans(text, inSecret);
  // A Secret whose text cannot be read: any of its keys may hold a value.
  if (!found && declaresSecret(text)) return sealWhole(key, text);
  const spans = found ?? patternSpans(text);
  if (spans.length === 0) return { text, values: new Map() };
  const values = new Map<string, string>();
  let sealed = '';
  let at = 0;
  for (const { start, end } of spans) {
    // A block scalar's span ends with its line break: the token keeps it, so the next line stays where it was.
    const span = text.slice(start, end);
    const original = span.endsWith('\n') ? span.slice(0, -1) : span;
    const token = tokenOf(key, original);
    values.set(token, original);
    sealed += text.slice(at, start) + JSON.stringify(token) + span.slice(original.length);
    at = end;
  }
  sealed += text.slice(at);
  return unsealText(sealed, values) === text ? { text: sealed, values } : sealWhole(key, text);
}

/** Where a text lies in what was sent, for a refusal: what leads the message, and the line of the text's first line. */
export interface TextPlace {
  where: string;
  line: number;
}

/**
 * Refuses config text as sent whose alias copies a secret value (an anchored node holding a
 * secret span), or a map holding one, to a place that is not secret: everything that reads
 * the text whole (a base config written out from what was read, the materialized config,
 * what is applied and recorded as applied) has the value where no rule hides it, as `<<`
 * merge keys and a JSON patch's `copy` of a hidden value are refused. An alias in a secret
 * place is a secret span itself, and stays allowed. Run by the parsers of base configs and
 * patches, so an upload (sync, async, an archive), a patch and its dry run refuse alike;
 * text stored before (sealed again with a change) is not parsed so, and stays changeable.
 * `at`: where the text lies in what was sent (the field and line 1 by default).
 */
export function refuseSecretCopies(text: string, inSecret: boolean, field: string, at: TextPlace = { where: field, line: 1 }): void {
  if (!mayAlias(text)) return;
  refuseSecretAliases(text, keptSecretSpans(text, inSecret), field, at);
}

/**
 * Whether an alias may follow an anchor in the text: only then is it parsed again for them.
 * Two linear scans (one regex spanning both backtracks over the rest of the text at every `&`).
 */
function mayAlias(text: string): boolean {
  const anchor = text.search(/&[^\s,[\]{}]/);
  if (anchor === -1) return false;
  const alias = /\*[^\s,[\]{}]/g;
  alias.lastIndex = anchor;
  return alias.test(text);
}

/** refuseSecretCopies, given the text's secret spans. */
function refuseSecretAliases(text: string, spans: readonly Span[], field: string, at: TextPlace): void {
  const lines = new LineCounter();
  let documents: Document[];
  try {
    documents = parseAllDocuments(text, { ...QUIET_YAML, uniqueKeys: false, lineCounter: lines }) as Document[];
  } catch {
    return;
  }
  if (!Array.isArray(documents)) return;
  // The spans are in order and apart (mergeSpans): the first that ends after `start` is the one to ask.
  const overlaps = (start: number, end: number) => {
    let [low, high] = [0, spans.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (spans[middle]!.end <= start) low = middle + 1;
      else high = middle;
    }
    return low < spans.length && spans[low]!.start < end;
  };
  for (const document of documents) {
    const secretAnchors = new Set<string>();
    visit(document, (_, node) => {
      const range = (node as Node | undefined)?.range;
      if (!range) return;
      if (isAlias(node)) {
        if (secretAnchors.has(node.source) && !overlaps(range[0], range[1])) {
          const line = at.line + lines.linePos(range[0]).line - 1;
          throw new DomainError('invalid', `${at.where}: the alias *${node.source} (line ${line}) copies a secret value to a place where it is not kept secret: write there what is not secret, or use the alias only where a secret goes`, field);
        }
        return;
      }
      // The latest anchor of a name is the one later aliases name.
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) {
        if (overlaps(range[0], range[2])) secretAnchors.add(anchor);
        else secretAnchors.delete(anchor);
      }
    });
  }
}

/**
 * Sealed text with its copies of `secrets` (values sealed elsewhere in the same command: a
 * patch's password repeated in its description) sealed too, each as the value it is; what
 * lies inside the text's tokens is left (a value may be a part of a token's id). `values`
 * gives back what the text held before: text whose tokens would not give it back is sealed whole.
 */
export function sealCopies(key: string, sealed: Sealed, secrets: Iterable<string>): Sealed {
  const tokens = [...sealed.text.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const copies = copySpans(sealed.text, secrets, tokens);
  if (copies.length === 0) return sealed;
  const values = new Map(sealed.values);
  const text = replacingSpans(sealed.text, copies, (original) => {
    const token = tokenOf(key, original);
    values.set(token, original);
    return JSON.stringify(token);
  });
  const before = unsealText(sealed.text, sealed.values);
  return unsealText(text, values) === before ? { text, values } : sealWhole(key, before);
}

/** Whether the text holds the mark of a token (one copied from the log, say). */
export const marksToken = (text: string): boolean => RESERVED.test(text);

/** Text users send must not hold tokens: one would be replaced by another's secret when projected. */
export function refuseTokens(text: string, field: string): void {
  if (RESERVED.test(text)) throw new DomainError('invalid', `${field} must not contain "${PREFIX}" (it marks secret values Slipway keeps out of its log)`, field);
}

/** The text as one token: a value that is secret as a whole (by its name, say), or text whose parts cannot be told. */
export function sealWhole(key: string, text: string): Sealed {
  const token = tokenOf(key, text);
  return { text: JSON.stringify(token), values: new Map([[token, text]]) };
}

/** The tokens sealed text holds. */
export function tokensIn(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((match) => PREFIX + match[2]);
}

/** Sealed text with its spans put back; a token `values` lacks throws (a store that lost a value cannot rebuild). */
export function unsealText(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(TOKEN, (_match, _quote: string, id: string) => {
    const original = values.get(PREFIX + id);
    if (original === undefined) throw new Error(`sealed value ${PREFIX}${id} is missing from its store's sealed_values`);
    return original;
  });
}
