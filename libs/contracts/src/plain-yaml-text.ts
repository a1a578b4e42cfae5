/*
 * The YAML writer (yaml 2.9) takes 5-10 µs a value, building a document of nodes and styling
 * each: a list of 21,500 targets, 9 MiB, took it 1.7-2.3 s (JSON.stringify 30 ms), and its
 * answer 2.6 s through the gateway (bench (k)). Most answers hold only keys and values whose
 * text it writes as they are, or quoted without escapes: short texts without line breaks,
 * tabs or control characters. Such a value is written here in one walk, as the writer writes it,
 * byte for byte (its unit test compares the two on tricky data): the same list in 80-110 ms
 * (with word annotations, which the writer read back, 6.5-7.4 s: 78-89 ms). faithfulYamlText
 * tries this first and leaves any other value to the writer.
 */

/**
 * Texts written here: printable characters and spaces, and short (a key past 1,024 UTF-16
 * units is written otherwise; the writer measures its lines in them too). A space is where
 * the writer may fold a line, which a value short enough for its line never is (see `scalar`);
 * quoted, such a text is its JSON string (the writer's double-quoted style escapes nothing
 * else in it) or, holding `"` and no `'`, single-quoted. Past ASCII, what the writer or a
 * reader treats apart is left out: the C1 controls and DEL (always double-quoted, escaped),
 * lone surrogates, LS and PS (line breaks to YAML 1.1), the byte order mark (a reader drops it
 * at a line's start) and the noncharacters U+FFFE and U+FFFF.
 */
const SIMPLE_TEXT = /^[ -~\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;
const LONGEST_TEXT = 1000;
/** Texts the writer never writes plain (its own test, stringifyString.js): an indicator first, `-` or `?` alone, a `:` last. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** What its document markers start with (`---`, `...`): written otherwise by where they stand; left to the writer. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)/;
/** The YAML 1.2 core schema's other types, which a plain text would read as (the writer's own tag tests, joined). */
const READ_AS_OTHER_TYPE = new RegExp([
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/, /^[-+]?[0-9]+$/, /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
].map((type) => type.source).join('|'));

class NotSimple extends Error {}

/**
 * `value` as the YAML writer writes it (block style, two spaces, lists indented under their
 * key), each string for which `quoted` holds double-quoted; undefined when it holds a text
 * not written here, or anything JSON does not (undefined, a Date), for the writer to write.
 */
export function plainYamlText(value: unknown, quoted: (text: string) => boolean): string | undefined {
  // Keys repeat (every item's): each is judged once.
  const keys = new Map<string, string>();
  const text = (s: string): string => {
    if (s.length > LONGEST_TEXT || !SIMPLE_TEXT.test(s) || DOCUMENT_MARKER.test(s)) throw new NotSimple();
    if (quoted(s)) return JSON.stringify(s);
    if (!NOT_PLAIN.test(s) && !READ_AS_OTHER_TYPE.test(s)) return s;
    // Quoted by the writer's own choice: single quotes for a text with `"` and no `'`.
    return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
  };
  const key = (s: string): string => {
    let written = keys.get(s);
    if (written === undefined) keys.set(s, (written = text(s)));
    return written;
  };
  // A value the writer may fold: longer than what it keeps on one line at its indentation (at
  // least 21 characters; `indent` here is its line's, the writer's up to 4 deeper). It folds
  // a quoted text anywhere, and moves a plain one after a long key to the next line.
  const scalar = (v: unknown, indent: number): string | undefined => {
    if (typeof v === 'string') {
      const written = text(v);
      if (written.length > Math.max(21, 77 - indent)) throw new NotSimple();
      return written;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new NotSimple();
      return Object.is(v, -0) ? '-0' : JSON.stringify(v);
    }
    if (typeof v === 'boolean') return String(v);
    if (v === null) return 'null';
    if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v).length === 0 ? '{}' : undefined;
    throw new NotSimple();
  };
  let out = '';
  // `first` is what goes before the first line (a list item's `- `), `indent` before the others.
  const block = (v: object, indent: string, first: string): void => {
    let lead = first;
    if (Array.isArray(v)) {
      for (const item of v) {
        const written = scalar(item, indent.length);
        if (written !== undefined) out += `${lead}- ${written}\n`;
        else block(item as object, `${indent}  `, `${lead}- `);
        lead = indent;
      }
      return;
    }
    for (const name in v) {
      if (!Object.hasOwn(v, name)) continue;
      const member = (v as Record<string, unknown>)[name];
      const written = scalar(member, indent.length);
      if (written !== undefined) out += `${lead}${key(name)}: ${written}\n`;
      else {
        out += `${lead}${key(name)}:\n`;
        // A list goes two spaces under its key, as a map does.
        block(member as object, `${indent}  `, `${indent}  `);
      }
      lead = indent;
    }
  };
  try {
    const top = scalar(value, 0);
    if (top !== undefined) return `${top}\n`;
    block(value as object, '', '');
    return out;
  } catch (error) {
    if (error instanceof NotSimple) return undefined;
    throw error;
  }
}
