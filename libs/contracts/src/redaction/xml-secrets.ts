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
 * tag of an element around them comes), so time grows with the text's length, whatever it is.
 */
export function xmlSecretSpans(text: string): Span[] {
  if (!text.includes('<')) return [];
  return new XmlReading(text).spans();
}

/** Elements open at once that are followed: deeper ones are read as text, their secrets left to the other patterns (no config file nests so deep). */
const MAX_DEPTH = 1_000;
const START_TAG = /<([\w.:-]+)(\s[^<>]*?)?(\/?)>/y;
const END_TAG = /<\/([\w.:-]+)\s*>/y;
// Each run of name characters tried whole, once (from each of its characters, a long one took the square of its length).
const ATTRIBUTE = /(?<![\w.:-])([\w.:-]+)[ \t\r\n]*=[ \t\r\n]*("[^"]*"|'[^']*')/g;
/** Elements that hold a value a sibling names: `<value>`, a plist's `<string>` and `<data>`, web.xml's `<param-value>`, `<env-entry-value>`. */
const isValueElement = (name: string): boolean => name === 'value' || name === 'string' || name === 'data' || name.endsWith('-value');
/** Elements that name their sibling's value: `<name>`, a plist's `<key>`, web.xml's `<param-name>`, `<env-entry-name>`. */
const isNameElement = (name: string): boolean => name === 'name' || name === 'key' || name.endsWith('-name');

/** A space, tab or line break: XML's blanks. */
const isBlank = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** A name without its namespace, in lower case (`android:name` is a `name`). */
const localName = (name: string): string => name.slice(name.lastIndexOf(':') + 1).toLowerCase();

interface Element {
  name: string;
  /** Its text is secret (its name, or its name attribute's value, is a secret's). */
  secret: boolean;
  /** Its text is read: a secret element's, a value's or a name's. */
  collects: boolean;
  /** The text inside it, where it collects. */
  texts: Span[];
  /** Among its children: whether the last name read is a secret's (undefined: none since the last value). */
  named?: boolean;
  /** Its value children's texts read before any name child (Hadoop takes a value before its name). */
  unnamed: Span[];
}

/** Appends one by one: spread into push, a list of a few hundred thousand overflows the call stack. */
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

class XmlReading {
  private readonly found: Span[] = [];
  /** The elements open, outermost first: the text's top level (never closed) holds the elements outside any. */
  private readonly open: Element[] = [{ name: '', secret: false, collects: false, texts: [], unnamed: [] }];
  /** The open elements that collect, innermost last. */
  private readonly collecting: Element[] = [];
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
    const { text } = this;
    if (text.startsWith('<!--', at)) {
      const close = at < this.commentsEnd ? text.indexOf('-->', at + 4) : -1;
      if (close === -1) {
        this.commentsEnd = Math.min(this.commentsEnd, at);
        return undefined;
      }
      this.onText(textFrom, at);
      return { end: close + 3, textFrom: close + 3 };
    }
    if (text.startsWith('<![CDATA[', at)) {
      const close = at < this.sectionsEnd ? text.indexOf(']]>', at + 9) : -1;
      if (close === -1) {
        this.sectionsEnd = Math.min(this.sectionsEnd, at);
        return undefined;
      }
      this.onText(textFrom, at);
      this.onText(at + 9, close);
      return { end: close + 3, textFrom: close + 3 };
    }
    return undefined;
  }

  private start(tag: string, attributes: string, attributesAt: number, selfClosed: boolean): void {
    const name = localName(tag);
    let namedSecret = false;
    let value: Span | undefined;
    for (const m of attributes.includes('=') ? attributes.matchAll(ATTRIBUTE) : []) {
      // Its case kept for judging it: `keystorePass` is a secret's name as two words.
      const named = m[1]!.slice(m[1]!.lastIndexOf(':') + 1);
      const attribute = named.toLowerCase();
      const quoted = m[2]!;
      const valueAt = attributesAt + m.index + m[0].length - quoted.length + 1;
      const span = { start: valueAt, end: valueAt + quoted.length - 2 };
      if (attribute === 'value') value = span;
      else if (attribute === 'name' || attribute === 'key') namedSecret ||= isSecretName(quoted.slice(1, -1));
      else if (isSecretName(named) && span.end > span.start) this.found.push(span);
    }
    if (namedSecret && value) {
      if (value.end > value.start) this.found.push(value);
      namedSecret = false;
    }
    if (selfClosed || this.open.length > MAX_DEPTH) return;
    const secret = namedSecret || isSecretName(tag.slice(tag.lastIndexOf(':') + 1));
    const element = { name, secret, collects: secret || isValueElement(name) || isNameElement(name), texts: [], unnamed: [] };
    this.open.push(element);
    if (element.collects) this.collecting.push(element);
    this.openNamed.set(name, (this.openNamed.get(name) ?? 0) + 1);
  }

  /** Text between tags: kept by the innermost element that collects, if any, its blanks at either end left out. */
  private onText(from: number, to: number): void {
    const element = this.innermostCollecting();
    if (!element) return;
    let start = from;
    let end = to;
    while (start < end && isBlank(this.text.charCodeAt(start))) start++;
    while (end > start && isBlank(this.text.charCodeAt(end - 1))) end--;
    if (end > start) element.texts.push({ start, end });
  }

  private innermostCollecting(): Element | undefined {
    return this.collecting.at(-1);
  }

  /** An end tag: closes the innermost open element of its name, dropping those opened inside it and never closed; of none, it is passed over. */
  private close(name: string): void {
    if (!this.openNamed.get(name)) return;
    for (;;) {
      const element = this.pop()!;
      if (element.name === name) {
        this.closed(element);
        return;
      }
      // Never closed: what it read is text of the element around it (a secret one hides it when it closes).
      const around = this.innermostCollecting();
      if (around) pushAll(around.texts, element.texts);
    }
  }

  private pop(): Element | undefined {
    if (this.open.length === 1) return undefined;
    const element = this.open.pop()!;
    this.openNamed.set(element.name, this.openNamed.get(element.name)! - 1);
    if (element.collects) this.collecting.pop();
    return element;
  }

  private closed(element: Element): void {
    if (element.secret) {
      pushAll(this.found, element.texts);
      return;
    }
    const parent = this.open.at(-1);
    if (parent && isNameElement(element.name)) {
      const named = element.texts.length > 0 && isSecretName(element.texts.map(({ start, end }) => this.text.slice(start, end)).join(''));
      parent.named = named;
      if (named) pushAll(this.found, parent.unnamed.splice(0));
    } else if (parent && isValueElement(element.name)) {
      if (parent.named === true) pushAll(this.found, element.texts);
      else if (parent.named === undefined) pushAll(parent.unnamed, element.texts);
      parent.named = undefined;
    }
    // Inside a secret element further out, it is hidden with the rest of its text.
    const around = this.innermostCollecting();
    if (around) pushAll(around.texts, element.texts);
  }
}
