/**
 * Keys and list items a message sent to a service (a command, a query) may hold in all. The
 * largest a contract takes is some 11,000 (a label binding: 1,000 labels and 10,000 objects);
 * a body of 600,000 keys held a service's event loop for 10 s in JSON.parse, the duplicate
 * key check, the storable check and the schema, and its queries went unanswered meanwhile.
 * Below this bound those passes take a fraction of a second.
 */
export const MAX_SENT_ENTRIES = 50_000;

/** Why a body past MAX_SENT_ENTRIES is refused, unread. */
export const TOO_MANY_ENTRIES = `message body holds more than ${MAX_SENT_ENTRIES} keys and list items in all: it is not read (no command or query takes that many)`;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const isOpening = (c: number) => c === 0x7b /* { */ || c === 0x5b /* [ */;
const isClosing = (c: number) => c === 0x7d /* } */ || c === 0x5d /* ] */;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Whether a JSON text holds more than `bound` keys and list items, told in one pass over its
 * characters before anything is built of it (a comma outside strings, or the first entry of
 * a map or list, is one). Text that is not JSON is counted as far as it reads; JSON.parse
 * refuses it after. Stops once past the bound, and skips a string's characters by search, so
 * a long string (an upload's text) costs little.
 */
export function holdsMoreEntriesThan(text: string, bound: number): boolean {
  let entries = 0;
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) at = closingQuote(text, at);
    else if (c === COMMA || (isOpening(c) && !emptyFrom(text, at + 1))) entries++;
    if (entries > bound) return true;
  }
  return false;
}

/** Where the string opened at `from` ends (the text's end when it does not). */
function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}

/** Whether the map or list opened just before `at` closes with nothing in it. */
function emptyFrom(text: string, at: number): boolean {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return isClosing(text.charCodeAt(at));
}
