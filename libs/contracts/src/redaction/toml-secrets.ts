import { isSecretName } from './secret-names';
import type { Span } from './spans';

/**
 * Secrets in TOML and INI files, read line by line in one pass as their tables and values go:
 * - under a table or section named like a secret (`[credentials]`, `[[auth.tokens]]`,
 *   `["api keys"]`), every value whatever its key (`value = "x"`, INI's `default: x`), and
 *   every other line that is no comment (a continuation, a bare word): the table's name is
 *   what says secret there;
 * - anywhere, a multi-line string under a secret's name (`password = """`, then lines, then
 *   `"""`), which the line patterns, reading its first line, would leave below.
 * A value's extent is TOML's: a multi-line string to its closing quotes (escaped ones read),
 * an array or inline table to its closing bracket over lines (strings and comments inside
 * read as such), else the rest of its line. Lines inside a secret's value are the value's: a
 * `[public]` inside its string or array starts no table. One never closed (the file is not
 * valid TOML) runs to the text's end: what follows may be its content. Any other value is
 * read as its line only: a string or array of no secret's over lines can only make lines
 * inside it read as keys or headers, which hides more, never less; and each character is
 * read once.
 */
export function tomlSecretSpans(text: string): Span[] {
  if (!text.includes('"""') && !text.includes("'''") && !hasSecretTable(text)) return [];
  const spans: Span[] = [];
  let secretTable = false;
  for (let line = 0; line < text.length;) {
    const next = lineAfter(text, line);
    HEADER.lastIndex = line;
    const header = HEADER.exec(text);
    if (header) {
      secretTable = isSecretTable(header.groups!.table!);
      line = next;
      continue;
    }
    KEY.lastIndex = line;
    const key = KEY.exec(text);
    // INI's `key: value` only under a secret section: elsewhere it is as likely YAML's.
    if (key && (key.groups!.separator === '=' || secretTable)) {
      const valueAt = key.index + key[0].length;
      if (secretTable || isSecretName(key.groups!.key!.replace(/["']/g, ''))) {
        const end = endOfValue(text, valueAt);
        // Single-line values under a secret's name are the line patterns' (SECRET_LINE): only
        // those of a secret table, and those over lines, are taken here.
        if (end > valueAt && (secretTable || text.lastIndexOf('\n', end - 1) >= valueAt)) spans.push({ start: valueAt, end });
        line = Math.max(next, lineAfter(text, end));
        continue;
      }
    }
    if (secretTable) {
      const content = trimmedLine(text, line, next);
      if (content && !COMMENT.test(text.slice(content.start, content.start + 1))) spans.push(content);
    }
    line = next;
  }
  return spans;
}

/** A header alone on its line, a comment after it: `[a.b]`, `[[a]]`, `[ "a b" ]`, `["token[1]"]`; a log line's `[INFO] …` is none. */
const HEADER_LINE = String.raw`[ \t]*\[\[?(?<table>(?:[^\[\]\r\n"']|"[^"\r\n]*"|'[^'\r\n]*')*)\]\]?[ \t]*(?:[#;][^\r\n]*)?\r?$`;
const HEADER = new RegExp(HEADER_LINE, 'my');
/** Any header of the text, for the look at whether one names a secret before it is read line by line. */
const ANY_HEADER = new RegExp(`^${HEADER_LINE}`, 'gm');
/** A key at a line's start and its `=` (or INI's `:`) with the blanks after: bare, quoted or dotted (`a."b c".d`). */
const KEY = /[ \t]*(?<key>(?:[\w-]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*')(?:[ \t]*\.[ \t]*(?:[\w-]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'))*)[ \t]*(?<separator>[=:])[ \t]*/y;
const COMMENT = /[#;]/;

const isSecretTable = (table: string): boolean => isSecretName(table.replace(/["']/g, '').trim());
const hasSecretTable = (text: string): boolean => text.includes('[') && [...text.matchAll(ANY_HEADER)].some((header) => isSecretTable(header.groups!.table!));

/** Where the line after the one `at` is on starts (the text's length for the last). */
function lineAfter(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end + 1;
}

/** The line's content without the blanks around it and its line break; undefined when blank. */
function trimmedLine(text: string, from: number, to: number): Span | undefined {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : undefined;
}

/** The end of the line `at` is on, its trailing blanks and line break left out. */
function endOfLine(text: string, at: number): number {
  let end = text.indexOf('\n', at);
  if (end === -1) end = text.length;
  while (end > at && /[ \t\r]/.test(text[end - 1]!)) end--;
  return end;
}

/** Where a secret's value starting at `at` ends; one never closed, at the text's end. */
function endOfValue(text: string, at: number): number {
  const quotes = text.startsWith('"""', at) ? '"""' : text.startsWith("'''", at) ? "'''" : undefined;
  if (quotes !== undefined) {
    const close = closingDelimiter(text, at + 3, quotes);
    return close === -1 ? text.length : endOfLine(text, close);
  }
  if (text[at] !== '[' && text[at] !== '{') return endOfLine(text, at);
  const close = closingBracket(text, at);
  return close === -1 ? text.length : endOfLine(text, close);
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
function closingBracket(text: string, at: number): number {
  let depth = 0;
  // Up to where a basic string's quote closes nothing: its line's end, once one of them was
  // unclosed (the quotes after it on that line, escaped in its reading, are read as characters).
  let basicUnclosedUntil = -1;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    const quotes = text.startsWith('"""', i) ? '"""' : text.startsWith("'''", i) ? "'''" : undefined;
    if (quotes !== undefined) {
      const close = closingDelimiter(text, i + 3, quotes);
      if (close === -1) return -1;
      i = close - 1;
    } else if ((c === '"' && i > basicUnclosedUntil) || c === "'") {
      const close = closingQuote(text, i);
      if (close !== -1) i = close;
      else if (c === '"') basicUnclosedUntil = endOfLine(text, i);
    } else if (c === '#') {
      const end = text.indexOf('\n', i);
      if (end === -1) return -1;
      i = end;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The closing quote of a one-line string starting at `at` (a basic string's escapes read); -1 when its line holds none. */
function closingQuote(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') return -1;
    if (c === '\\' && quote === '"') i++;
    else if (c === quote) return i;
  }
  return -1;
}
