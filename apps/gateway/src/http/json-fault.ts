/**
 * Where JSON text stops being JSON: V8 says where for most faults ("at position 7 (line 1
 * column 8)") but not for an unexpected token, which is the common one (a missing value, a
 * stray bracket, text after the document). Run only on text JSON.parse refused, so its cost
 * is the refusal's. Iterative (a stack of open containers), so nesting cannot overflow it.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** The offset of the first character that breaks the grammar (the text's length if it ends too soon). */
export function jsonErrorOffset(text: string): number {
  let at = 0;
  const skip = () => { while (at < text.length && WHITESPACE.has(text[at]!)) at++; };
  const match = (pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) return false;
    at = pattern.lastIndex;
    return true;
  };
  const open: Array<'{' | '['> = [];
  // What is expected next: a value, an object key, or what follows a value or key.
  let expect: 'value' | 'key' | 'first-key' | 'first-value' | 'after' = 'value';
  for (;;) {
    skip();
    const c = text[at];
    if (expect === 'value' || expect === 'first-value') {
      if (expect === 'first-value' && c === ']') { at++; open.pop(); expect = 'after'; continue; }
      if (c === '{' || c === '[') { open.push(c); at++; expect = c === '{' ? 'first-key' : 'first-value'; continue; }
      const literal = LITERALS.find((word) => word[0] === c);
      if (literal) {
        // As V8 reads it: the first character that leaves the word is the unexpected one.
        for (const letter of literal) if (text[at] === letter) at++; else return at;
      } else if (!(c === '"' ? match(STRING) : match(NUMBER))) return at;
      expect = 'after';
    } else if (expect === 'key' || expect === 'first-key') {
      if (expect === 'first-key' && c === '}') { at++; open.pop(); expect = 'after'; continue; }
      if (c !== '"' || !match(STRING)) return at;
      skip();
      if (text[at] !== ':') return at;
      at++;
      expect = 'value';
    } else {
      const inside = open[open.length - 1];
      if (inside === undefined) return at; // the document ended: anything here is too much (or `at` is the end)
      if (c === ',') { at++; expect = inside === '{' ? 'key' : 'value'; continue; }
      if (c !== (inside === '{' ? '}' : ']')) return at;
      at++;
      open.pop();
    }
  }
}

/** "line L, column C" (from 1, as editors count) of an offset in the text. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * What is wrong with JSON text JSON.parse refused, and where, as the YAML refusals say it:
 * V8's reason without the stretch of text it quotes (it may hold a secret), its position
 * where it gives one, else the one found here.
 */
export function jsonFault(text: string, parseMessage: string): string {
  const position = / JSON at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(parseMessage);
  const reason = parseMessage.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '').replace(/ (?:in JSON )?at position \d+.*$/s, '');
  return `${reason} (${lineAndColumn(text, position ? Number(position[1]) : jsonErrorOffset(text))})`;
}
