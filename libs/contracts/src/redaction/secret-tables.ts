import { isSecretName } from './secret-names';
import type { Span } from './spans';

/**
 * Secrets in a TOML or INI table named like one (`[credentials]`, `[[auth.tokens]]`,
 * `["api keys"]`): every value under it, whatever its key (`value = "x"`, `default = x`), to
 * the next table's header. The table's name is what says secret here; its keys' names are
 * judged by the line patterns as everywhere else.
 * A value is a line's rest after its `=` (or INI's `:`), a multi-line string to its closing
 * quotes and an array or inline table to its closing bracket, over lines; one never closed (the
 * file is not valid TOML) runs to the text's end: what follows it might be its content.
 */
export function secretTableSpans(text: string): Span[] {
  if (!text.includes('[')) return [];
  const headers = [...text.matchAll(TABLE_HEADER)];
  if (!headers.some((header) => isSecretTable(header.groups!.table!))) return [];
  const spans: Span[] = [];
  // Where the values found reach: a value over lines may run past the next headers (one never closed), read once.
  let covered = 0;
  headers.forEach((header, i) => {
    if (header.index < covered || !isSecretTable(header.groups!.table!)) return;
    const end = headers[i + 1]?.index ?? text.length;
    let line = header.index + header[0].length;
    while (line < end) {
      KEY.lastIndex = line;
      const key = KEY.exec(text);
      if (key) {
        const valueAt = key.index + key[0].length;
        const valueEnd = endOfValue(text, valueAt);
        if (valueEnd > valueAt) spans.push({ start: valueAt, end: valueEnd });
        line = Math.max(valueEnd, valueAt);
      }
      const next = text.indexOf('\n', line);
      line = next === -1 ? text.length : next + 1;
    }
    covered = Math.max(covered, line);
  });
  return spans;
}

/** A header alone on its line (a comment after it): `[a.b]`, `[[a]]`, `[ "a b" ]`; a log line's `[INFO] …` is none. */
const TABLE_HEADER = /^[ \t]*\[\[?[ \t]*(?<table>[^\[\]\r\n]+?)[ \t]*\]\]?[ \t]*(?:[#;][^\r\n]*)?$/gm;
/** A key at a line's start and its `=`/`:` with the blanks after: bare, quoted or dotted (`a."b c".d`). */
const KEY = /[ \t]*(?:[\w-]+|"[^"\r\n]*"|'[^'\r\n]*')(?:[ \t]*\.[ \t]*(?:[\w-]+|"[^"\r\n]*"|'[^'\r\n]*'))*[ \t]*[=:][ \t]*/y;

/** A table's name judged as its words are, its quotes and dots read as a name's separators. */
const isSecretTable = (table: string): boolean => isSecretName(table.replace(/["']/g, ''));

/** Where a value starting at `at` ends: its line's end, or its closing quotes or bracket after lines. */
function endOfValue(text: string, at: number): number {
  const quotes = text.startsWith('"""', at) ? '"""' : text.startsWith("'''", at) ? "'''" : undefined;
  if (quotes !== undefined) {
    const close = text.indexOf(quotes, at + 3);
    return close === -1 ? text.length : close + 3;
  }
  const opening = text[at];
  if (opening !== '[' && opening !== '{') return lineEnd(text, at);
  // Brackets counted outside quoted strings, to the one that closes the first.
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    const multiline = text.startsWith('"""', i) ? '"""' : text.startsWith("'''", i) ? "'''" : undefined;
    if (multiline !== undefined) {
      const close = text.indexOf(multiline, i + 3);
      if (close === -1) return text.length;
      i = close + 2;
    } else if (c === '"' || c === "'") {
      const close = closingQuote(text, i);
      // Not valid TOML: what follows may be the string's.
      if (close === -1) return text.length;
      i = close;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return lineEnd(text, i + 1);
    }
  }
  return text.length;
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

/** The end of the line `at` is on, its trailing blanks and line break left out. */
function lineEnd(text: string, at: number): number {
  let end = text.indexOf('\n', at);
  if (end === -1) end = text.length;
  while (end > at && /[ \t\r]/.test(text[end - 1]!)) end--;
  return end;
}
