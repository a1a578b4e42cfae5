import { isSecretName } from './secret-names';
import type { Span } from './spans';

/**
 * Secrets in TOML and INI files, read line by line in one pass as their tables and values go:
 * - under a table or section named like a secret (`[credentials]`, `[[auth.tokens]]`,
 *   `["api keys"]`, `[bob's tokens]`): every value whatever its key (`value = "x"`, INI's
 *   `default: x`), and every other line that is no comment, whole (a continuation, a bare
 *   token, `abc123==`): the section's name is what says secret there. A line is read as
 *   `key = value`, its key shown, only where a blank stands beside its `=` or `:` (or its key
 *   is quoted): `user = x`, not `c2VjcmV0=` or `ghp_abc:x-oauth`;
 * - anywhere, the value of a key named like a secret (`password = x`, `"api key" = "x"`,
 *   `db."pass word" = x`): over lines as TOML reads it, and the lines below it indented further
 *   (INI's continuation lines, as Python's configparser reads `password =` then `    x`).
 * A value's extent is TOML's: a multi-line string to its closing quotes (escaped ones read),
 * an array or inline table to its closing bracket over lines (strings and comments inside
 * read as such), else the rest of its line. Lines inside a secret's value are the value's: a
 * `[public]` inside its string or array starts no table. One never closed (the file is not
 * valid TOML) runs to the text's end: what follows may be its content. Any other value is
 * read as its line only: a string or array of no secret's over lines can only make lines
 * inside it read as keys or headers, which hides more, never less; and each character is
 * read once. Lines end at LF, CRLF or a lone CR.
 */
export function tomlSecretSpans(text: string): Span[] {
  const lines = new Lines(text);
  const spans: Span[] = [];
  let secretTable = false;
  for (let line = text.charCodeAt(0) === BOM ? 1 : 0; line < text.length;) {
    const end = lines.endAt(line);
    const next = lines.after(end);
    const table = headerOf(text, line, end);
    if (table !== undefined) {
      secretTable = namesSecret(table);
      line = next;
      continue;
    }
    const content = trimmed(text, line, end);
    if (content === undefined || (secretTable && COMMENT.test(text[content.start]!))) {
      line = next;
      continue;
    }
    const valueAt = secretTable ? sectionValueAt(text, line, end) : secretKeyValueAt(text, line, end);
    if (valueAt === undefined) {
      if (secretTable) spans.push(content);
      line = next;
      continue;
    }
    const valueEnd = endOfValue(text, valueAt, lines);
    if (valueEnd > valueAt) spans.push({ start: valueAt, end: valueEnd });
    const indent = content.start - line;
    line = valueEnd > end ? lines.after(lines.endAt(valueEnd)) : next;
    if (secretTable) continue;
    // Continuation lines, indented further than the key's.
    for (;;) {
      const continued = line < text.length ? trimmed(text, line, lines.endAt(line)) : undefined;
      if (continued === undefined || continued.start - line <= indent) break;
      spans.push(continued);
      line = lines.after(lines.endAt(line));
    }
  }
  return spans;
}

const BOM = 0xfeff;
/** Whether a section's name or a key (`"api key"`, `db."pass word"`, `[ "a b" ]`) is a secret's, its quotes and blanks around left out. */
const namesSecret = (name: string): boolean => isSecretName(name.replace(/["']/g, '').trim());
const COMMENT = /[#;]/;
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** A TOML key at a line's start (bare, quoted or dotted: `a."b c".d`) and its `=` with the blanks after. */
const KEY = /[ \t]*(?<key>(?:[\w-]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*')(?:[ \t]*\.[ \t]*(?:[\w-]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'))*)[ \t]*=[ \t]*/y;

/** Where the value of a key named like a secret starts on the line (`=` only: a `:` outside a secret section is as likely YAML's). */
function secretKeyValueAt(text: string, from: number, to: number): number | undefined {
  KEY.lastIndex = from;
  const key = KEY.exec(text);
  if (!key || key.index + key[0].length > to || !namesSecret(key.groups!.key!)) return undefined;
  return key.index + key[0].length;
}

/** Where a secret section's line holds its value: after a quoted key's `=`, or after the first `=`/`:` with a blank beside it; undefined when the line is no `key = value`. */
function sectionValueAt(text: string, from: number, to: number): number | undefined {
  KEY.lastIndex = from;
  const key = KEY.exec(text);
  if (key && key.index + key[0].length <= to && /["']/.test(key.groups!.key!)) return key.index + key[0].length;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c !== '=' && c !== ':') continue;
    if (!isBlank(text[i - 1]) && !isBlank(text[i + 1])) continue;
    if (text.slice(from, i).trim() === '') return undefined;
    let at = i + 1;
    while (at < to && isBlank(text[at])) at++;
    return at;
  }
  return undefined;
}

/**
 * The name of the table a header line opens (`[a.b]`, `[[a]]`, `[ "a b" ]`, `["token[1]"]`,
 * `[bob's tokens]`), a comment after it allowed; undefined for any other line (a log line's
 * `[INFO] …`). Quoted parts may hold brackets; a quote its line does not close is a character.
 */
function headerOf(text: string, from: number, to: number): string | undefined {
  let i = from;
  while (i < to && isBlank(text[i])) i++;
  if (text[i] !== '[') return undefined;
  i += text[i + 1] === '[' ? 2 : 1;
  const nameAt = i;
  // A quote of each kind that closed nothing: those after it on the line are characters.
  let open = '';
  while (i < to && text[i] !== ']') {
    const c = text[i]!;
    if (c === '[') return undefined;
    if ((c === '"' || c === "'") && !open.includes(c)) {
      const close = closingQuote(text, i, to);
      if (close === -1) open += c;
      else i = close;
    }
    i++;
  }
  if (i >= to) return undefined;
  const name = text.slice(nameAt, i);
  i += text[i + 1] === ']' ? 2 : 1;
  while (i < to && isBlank(text[i])) i++;
  return i === to || COMMENT.test(text[i]!) ? name : undefined;
}

/** The line's content without the blanks around it; undefined when blank. */
function trimmed(text: string, from: number, to: number): Span | undefined {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : undefined;
}

/**
 * Line ends in one text, for reading it forward: LF, CRLF or a lone CR. The next of each kind
 * is kept, so that a text without any CR is not searched to its end for one from every line.
 */
class Lines {
  private lf = -2;
  private cr = -2;

  constructor(private readonly text: string) {}

  /** Where the line `at` is on ends (its break, or the text's length). */
  endAt(at: number): number {
    if (this.lf !== -1 && this.lf < at) this.lf = this.text.indexOf('\n', at);
    if (this.cr !== -1 && this.cr < at) this.cr = this.text.indexOf('\r', at);
    const end = Math.min(this.lf === -1 ? Infinity : this.lf, this.cr === -1 ? Infinity : this.cr);
    return end === Infinity ? this.text.length : end;
  }

  /** Where the line after the break at `end` starts. */
  after(end: number): number {
    if (end >= this.text.length) return this.text.length;
    return this.text[end] === '\r' && this.text[end + 1] === '\n' ? end + 2 : end + 1;
  }
}

/** The end of the line `at` is on, its trailing blanks left out. */
function endOfLine(text: string, at: number, lines: Lines): number {
  let end = lines.endAt(at);
  while (end > at && isBlank(text[end - 1])) end--;
  return end;
}

/** Where a secret's value starting at `at` ends; one never closed, at the text's end. */
function endOfValue(text: string, at: number, lines: Lines): number {
  const quotes = text.startsWith('"""', at) ? '"""' : text.startsWith("'''", at) ? "'''" : undefined;
  if (quotes !== undefined) {
    const close = closingDelimiter(text, at + 3, quotes);
    return close === -1 ? text.length : endOfLine(text, close, lines);
  }
  if (text[at] !== '[' && text[at] !== '{') return endOfLine(text, at, lines);
  const close = closingBracket(text, at, lines);
  return close === -1 ? text.length : endOfLine(text, close, lines);
}

/**
 * Past the delimiter that closes a multi-line string whose content starts at `from`: a basic
 * string's (`"""`) escaped quotes read, and up to two quotes before the delimiter its content's
 * (`"""a""""` is `a"`); -1 when none.
 */
function closingDelimiter(text: string, from: number, quotes: string): number {
  const quote = quotes[0]!;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quote === '"') i++;
    else if (c === quote && text.startsWith(quotes, i)) {
      let end = i + 3;
      for (let more = 0; more < 2 && text[end] === quote; more++) end++;
      return end;
    }
  }
  return -1;
}

/**
 * Past the bracket that closes the array or inline table opening at `at`, over lines: brackets
 * in strings and comments are not counted; a quote its line does not close (INI's `[user's]`)
 * is read as a character. -1 when none closes it.
 */
function closingBracket(text: string, at: number, lines: Lines): number {
  let depth = 0;
  // Up to where a quote of each kind closes nothing: once one was unclosed, its line's end
  // (the quotes after it on that line, escaped in its reading, are read as characters).
  const unclosedUntil = { '"': -1, "'": -1 };
  for (let i = at; i < text.length; i++) {
    const c = text[i]!;
    const quotes = text.startsWith('"""', i) ? '"""' : text.startsWith("'''", i) ? "'''" : undefined;
    if (quotes !== undefined) {
      const close = closingDelimiter(text, i + 3, quotes);
      if (close === -1) return -1;
      i = close - 1;
    } else if ((c === '"' || c === "'") && i > unclosedUntil[c]) {
      const end = lines.endAt(i);
      const close = closingQuote(text, i, end);
      if (close !== -1) i = close;
      else unclosedUntil[c] = end;
    } else if (c === '#') {
      i = lines.endAt(i);
      if (i === text.length) return -1;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The closing quote of a one-line string starting at `at`, before `to` (a basic string's escapes read); -1 when none. */
function closingQuote(text: string, at: number, to: number): number {
  const quote = text[at];
  for (let i = at + 1; i < to; i++) {
    const c = text[i];
    if (c === '\\' && quote === '"') i++;
    else if (c === quote) return i;
  }
  return -1;
}
