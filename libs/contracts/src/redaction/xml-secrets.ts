import { isSecretName } from './secret-names';
import type { Span } from './spans';

/**
 * Secrets in XML text (a ConfigMap's core-site.xml, settings.xml, web.config, a plist), read
 * by its elements as far as its tags tell them, in one pass over the tags:
 * - an element named like a secret (`<password>x</password>`, `<db:apiKey>`): all the text
 *   inside it, nested elements' and CDATA sections' too (`<password><enc>x</enc></password>`);
 * - an element whose `name` or `key` attribute is a secret's name: its `value` attribute, or
 *   else all the text inside it (`<add key="ApiKey" value="x"/>`, `<entry key="api_token">x`,
 *   Spring's `<property name="password"><value>x</value></property>`);
 * - an attribute named like a secret (Tomcat's `keystorePass="x"`);
 * - a `<value>`, `<string>` or `<data>` element whose sibling `<name>` or `<key>` is a secret's
 *   name, before or after it, other elements and comments between (Hadoop's `<property>`
 *   with a `<description>`, a plist's `<key>Password</key><string>x</string>`).
 * Text counts only inside an element closed by its own end tag: `Mono<AccessToken> for …` in a
 * stack trace or `login <password>` in a usage line opens nothing that hides what follows.
 * Each tag is read once and each element closed once (unclosed ones are dropped when an end
 * tag of an element around them comes); the texts are kept once, in one list in the text's
 * order, an element knowing where its own start, and each is hidden once: time grows with the
 * text's length, whatever its shape (texts copied up to the element around at each close took
 * seconds on a MB nested a thousand deep).
 */
export function xmlSecretSpans(text: string): Span[] {
  if (!text.includes('<')) return [];
  return new XmlReading(text).spans();
}

/** XML's name characters: letters, combining marks and digits of any script, `_.:-`, `·` and the connectors (`clé`, `café` with its accent combined). */
const NAME = String.raw`[\p{L}\p{M}\p{N}_.:\-\u00B7\u203F\u2040]+`;
/** An internal entity's declaration and its quoted value (`<!ENTITY p "x">`, a parameter entity's `<!ENTITY % p 'x'>`). */
const ENTITY = new RegExp(String.raw`<!ENTITY[ \t\r\n]+(?:%[ \t\r\n]+)?(${NAME})[ \t\r\n]+("[^"]*"|'[^']*')`, 'gu');
/** A reference to an entity (`&p;`) or a parameter entity (`%p;`). */
const REFERENCE = new RegExp(String.raw`[&%](${NAME});`, 'gu');

/**
 * The declared values of the XML entities that the secrets found refer to, by any shape (an
 * element's text, `password=&p;` read as a pair, a secret table's value), and of those their
 * values refer to, each read once: `<!ENTITY p "x">` in a DOCTYPE for `<password>&p;</password>`.
 */
export function referencedEntityValues(text: string, found: readonly Span[]): Span[] {
  if (found.length === 0 || !text.includes('<!ENTITY')) return [];
  const declared = new Map<string, Span[]>();
  for (const m of text.matchAll(ENTITY)) {
    const valueAt = m.index + m[0].length - m[2]!.length + 1;
    const value = { start: valueAt, end: valueAt + m[2]!.length - 2 };
    const others = declared.get(m[1]!);
    if (others) others.push(value);
    else declared.set(m[1]!, [value]);
  }
  const values: Span[] = [];
  const toRead = [...found];
  for (let span = toRead.pop(); span !== undefined; span = toRead.pop()) {
    for (const reference of text.slice(span.start, span.end).matchAll(REFERENCE)) {
      const value = declared.get(reference[1]!);
      // Read once: an entity referred to again (or by itself) adds nothing.
      declared.delete(reference[1]!);
      for (const part of value ?? []) if (part.end > part.start) { values.push(part); toRead.push(part); }
    }
  }
  return values;
}

/** Elements open at once that are followed: deeper ones are read as text, their secrets left to the other patterns (no config file nests so deep). */
const MAX_DEPTH = 256;
/** A name element's text judged: longer, or in more pieces, it names nothing (a name is a word or a few). */
const MAX_NAME = 1024;
const MAX_NAME_PIECES = 16;
// Attributes' quoted values may hold `>` (legal XML: `value="a>b"`), not `<`.
const START_TAG = /<([\w.:-]+)(\s(?:[^<>"']|"[^"<]*"|'[^'<]*')*?)?(\/?)>/y;
const END_TAG = /<\/([\w.:-]+)\s*>/y;
const COMMENT = '<!--';
const CDATA = '<![CDATA[';
// Each run of name characters tried whole, once (from each of its characters, a long one took the square of its length).
const ATTRIBUTE = /(?<![\w.:-])([\w.:-]+)[ \t\r\n]*=[ \t\r\n]*("[^"]*"|'[^']*')/g;
/**
 * Elements that hold a value a sibling names: `<value>`, web.xml's `<param-value>`,
 * `<env-entry-value>`, and a plist's values (`<string>`, `<data>`, `<integer>`, `<real>`, an
 * `<array>` or `<dict>` of them).
 */
const PLIST_VALUES = new Set(['value', 'string', 'data', 'integer', 'real', 'array', 'dict']);
const isValueElement = (name: string): boolean => PLIST_VALUES.has(name) || name.endsWith('-value');
/** Elements that name their sibling's value: `<name>`, a plist's `<key>`, web.xml's `<param-name>`, `<env-entry-name>`. */
const isNameElement = (name: string): boolean => name === 'name' || name === 'key' || name.endsWith('-name');
/** Attributes that hold the value a `name`/`key` attribute names: `value`, HTML's `content`. */
const isValueAttribute = (name: string): boolean => name === 'value' || name === 'content';

/** A space, tab or line break: XML's blanks. */
const isBlank = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** A name without its namespace, in lower case (`android:name` is a `name`). */
const localName = (name: string): string => name.slice(name.lastIndexOf(':') + 1).toLowerCase();

/** Texts by their places in the list of all (`from` to `to`, not included). */
interface Range { from: number; to: number }

interface Element {
  name: string;
  /** Its text is secret (its name, or its name attribute's value, is a secret's). */
  secret: boolean;
  /** Its text is read: a secret element's, a value's or a name's. */
  collects: boolean;
  /** Where its texts start in the list of all. */
  from: number;
  /** Among its children: whether the last name read is a secret's (undefined: none since the last value). */
  named?: boolean;
  /** Its value children's texts read before any name child (Hadoop takes a value before its name). */
  unnamed: Range[];
  /** Secret elements inside it, closed, whose texts it hides when it closes (being secret itself) or passes on when dropped. */
  deferred: Range[];
}

class XmlReading {
  private readonly found: Span[] = [];
  /** Every text read inside an element that collects, in the text's order. */
  private readonly texts: Span[] = [];
  /** The elements open, outermost first: the text's top level (never closed) holds the elements outside any. */
  private readonly open: Element[] = [{ name: '', secret: false, collects: false, from: 0, unnamed: [], deferred: [] }];
  /** How many open elements collect, and how many are secret. */
  private collecting = 0;
  private secrets = 0;
  /** Where no `-->` (or `]]>`) follows any more: an unclosed comment or section was looked past once, not from each of its kind again. */
  private commentsEnd = Infinity;
  private sectionsEnd = Infinity;
  /** How many elements of each name are open: an end tag of none is passed over without a search. */
  private readonly openNamed = new Map<string, number>();

  constructor(private readonly text: string) {}

  spans(): Span[] {
    const { text } = this;
    let at = text.indexOf('<');
    let textFrom = 0;
    while (at !== -1) {
      const next = this.token(at, textFrom);
      if (next === undefined) {
        at = text.indexOf('<', at + 1);
        continue;
      }
      textFrom = next.textFrom;
      at = text.indexOf('<', next.end);
    }
    return this.found;
  }

  /**
   * Reads the tag, comment or CDATA section at `at`, the text since `textFrom` read first (it is
   * inside what was open before it): where reading goes on, and where text starts again;
   * undefined for a `<` that starts none.
   */
  private token(at: number, textFrom: number): { end: number; textFrom: number } | undefined {
    const { text } = this;
    const second = text[at + 1];
    if (second === '!') return this.declaration(at, textFrom);
    if (second === '/') {
      END_TAG.lastIndex = at;
      const end = END_TAG.exec(text);
      if (!end) return undefined;
      this.onText(textFrom, at);
      this.close(localName(end[1]!));
      return { end: END_TAG.lastIndex, textFrom: END_TAG.lastIndex };
    }
    START_TAG.lastIndex = at;
    const start = START_TAG.exec(text);
    if (!start) return undefined;
    this.onText(textFrom, at);
    this.start(start[1]!, start[2] ?? '', at + 1 + start[1]!.length, start[3] === '/');
    return { end: START_TAG.lastIndex, textFrom: START_TAG.lastIndex };
  }

  /** A comment or a CDATA section at `at` (else a `<!` that starts neither: a DOCTYPE, read as text). */
  private declaration(at: number, textFrom: number): { end: number; textFrom: number } | undefined {
    const section = this.text.startsWith(CDATA, at);
    if (!section && !this.text.startsWith(COMMENT, at)) return undefined;
    const [opening, closing, unclosedFrom] = section ? [CDATA, ']]>', 'sectionsEnd'] as const : [COMMENT, '-->', 'commentsEnd'] as const;
    const close = at < this[unclosedFrom] ? this.text.indexOf(closing, at + opening.length) : -1;
    if (close === -1) {
      this[unclosedFrom] = Math.min(this[unclosedFrom], at);
      return undefined;
    }
    this.onText(textFrom, at);
    // A section's content is text; a comment's is not.
    if (section) this.onText(at + opening.length, close);
    return { end: close + closing.length, textFrom: close + closing.length };
  }

  private start(tag: string, attributes: string, attributesAt: number, selfClosed: boolean): void {
    const name = localName(tag);
    let namedSecret = false;
    const values: Span[] = [];
    for (const m of attributes.includes('=') ? attributes.matchAll(ATTRIBUTE) : []) {
      // Its case kept for judging it: `keystorePass` is a secret's name as two words.
      const named = m[1]!.slice(m[1]!.lastIndexOf(':') + 1);
      const attribute = named.toLowerCase();
      const quoted = m[2]!;
      const valueAt = attributesAt + m.index + m[0].length - quoted.length + 1;
      const span = { start: valueAt, end: valueAt + quoted.length - 2 };
      if (isValueAttribute(attribute)) values.push(span);
      else if (attribute === 'name' || attribute === 'key') namedSecret ||= isSecretName(quoted.slice(1, -1));
      else if (isSecretName(named) && span.end > span.start) this.found.push(span);
    }
    // A value beside a secret's name, or in an element inside a secret one (NuGet's `<apikeys><add key="…" value="…"/>`).
    if (namedSecret || this.secrets > 0) for (const value of values) if (value.end > value.start) this.found.push(value);
    if (values.length > 0) namedSecret = false;
    if (selfClosed || this.open.length > MAX_DEPTH) return;
    const secret = namedSecret || isSecretName(tag.slice(tag.lastIndexOf(':') + 1));
    const collects = secret || isValueElement(name) || isNameElement(name);
    this.open.push({ name, secret, collects, from: this.texts.length, unnamed: [], deferred: [] });
    if (collects) this.collecting++;
    if (secret) this.secrets++;
    this.openNamed.set(name, (this.openNamed.get(name) ?? 0) + 1);
  }

  /** Text between tags: kept where an element that collects is open, its blanks at either end left out. */
  private onText(from: number, to: number): void {
    if (this.collecting === 0) return;
    let start = from;
    let end = to;
    while (start < end && isBlank(this.text.charCodeAt(start))) start++;
    while (end > start && isBlank(this.text.charCodeAt(end - 1))) end--;
    if (end > start) this.texts.push({ start, end });
  }

  /** An end tag: closes the innermost open element of its name, dropping those opened inside it and never closed; of none, it is passed over. */
  private close(name: string): void {
    if (!this.openNamed.get(name)) return;
    for (;;) {
      const element = this.pop();
      if (element.name === name) {
        this.closed(element);
        return;
      }
      // Never closed: its own text is no secret element's; secret elements closed inside it still are.
      this.hideLater(element.deferred);
    }
  }

  private pop(): Element {
    const element = this.open.pop()!;
    this.openNamed.set(element.name, this.openNamed.get(element.name)! - 1);
    if (element.collects) this.collecting--;
    if (element.secret) this.secrets--;
    return element;
  }

  private closed(element: Element): void {
    const own = { from: element.from, to: this.texts.length };
    if (element.secret) {
      // Hidden whole here, what was deferred to it with the rest; inside another secret element, by that one.
      this.hideLater([own]);
      return;
    }
    const parent = this.open.at(-1)!;
    if (isNameElement(element.name)) {
      parent.named = this.isSecretNameText(own);
      if (parent.named) this.hide(parent.unnamed.splice(0));
    } else if (isValueElement(element.name)) {
      if (parent.named === true) this.hide([own]);
      else if (parent.named === undefined) parent.unnamed.push(own);
      parent.named = undefined;
    }
  }

  /** Hides these texts once no secret element around them is open; until then the innermost open one keeps them. */
  private hideLater(ranges: Range[]): void {
    if (ranges.length === 0) return;
    if (this.secrets === 0) {
      this.hide(ranges);
      return;
    }
    const keeper = this.open.findLast((element) => element.secret)!;
    for (const range of ranges) keeper.deferred.push(range);
  }

  private hide(ranges: readonly Range[]): void {
    for (const { from, to } of ranges) for (let i = from; i < to; i++) this.found.push(this.texts[i]!);
  }

  private isSecretNameText({ from, to }: Range): boolean {
    if (to === from || to - from > MAX_NAME_PIECES) return false;
    const pieces = this.texts.slice(from, to);
    if (pieces.reduce((length, { start, end }) => length + end - start, 0) > MAX_NAME) return false;
    return isSecretName(pieces.map(({ start, end }) => this.text.slice(start, end)).join(''));
  }
}
