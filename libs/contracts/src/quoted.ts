import { redactTextPatterns } from './redaction/text-patterns';

/** How much of a refused value a message shows. */
const SHOWN_CHARACTERS = 60;

/**
 * A refused value as an error message quotes it: as JSON, what looks like a secret hidden (a
 * URL's password, a token's secret, and, since the value is what was sent, a value under a
 * secret's name: `{"password": …}`, `db-password: …`, `--token …`, which the shapes a whole
 * message is read by leave alone, as the server's own words hold such names) before it is
 * cut short past a few dozen characters (a message must not echo a large input back; cut
 * first, a URL lost the `@` that shows where its password ends), and never failing — a value
 * nested too deeply or containing itself has no JSON, and the refusal must still be a 4xx.
 */
export function quoted(value: unknown): string {
  // JSON would write them as null, which is not what was sent (`replicas: 1e400` reads as Infinity).
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  // A string's secrets are hidden before it is quoted, so that its closing quote stays (`"password=[redacted]"`).
  // Cut, it says how long the string shown was, not its quoted and escaped text (nor what it hid).
  if (typeof value === 'string') {
    const shown = redactTextPatterns(value);
    return cutShort(unseenEscaped(JSON.stringify(shown)), SHOWN_CHARACTERS, shown.length);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'a list' : typeof value === 'object' && value !== null ? 'an object' : String(value);
  }
  return cutShort(unseenEscaped(redactTextPatterns(text)), SHOWN_CHARACTERS);
}

/**
 * What a reader does not see, or sees acting on the text around it (formatting characters,
 * U+202E reversing what follows, those Unicode says to ignore, C1 controls, line and
 * paragraph separators), written as JSON's `\u` escapes, as JSON writes C0 controls: a
 * refusal quoting `"\u202e"` showed it raw, where the audit log refuses such a principal.
 */
const UNSEEN = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u0080-\u009f\u2028\u2029]/gu;
const unseenEscaped = (text: string): string =>
  text.replace(UNSEEN, (character) => [...Array(character.length).keys()].map((i) => `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));

/** How much of a key or field name a refusal shows. */
const SHOWN_KEY_CHARACTERS = 200;

/** A key or field name as a refusal names it: cut short past 200 characters (a megabyte of key is not echoed back). */
export const shownKey = (key: string): string => cutShort(key, SHOWN_KEY_CHARACTERS);

/** The first `most` values quoted, and how many more there are: a message naming what is missing or wrong among many. */
export const quotedFew = (values: readonly unknown[], most: number): string =>
  values.slice(0, most).map(quoted).join(', ') + (values.length > most ? ` and ${values.length - most} more` : '');

/** The most of a refusal's message and field any answer carries (a bus message, an HTTP error body). */
const MOST_MESSAGE_CHARACTERS = 16_384;
const MOST_FIELD_CHARACTERS = 1_024;

/**
 * A refusal cut to a size any answer carries: a message that quoted what it was sent in
 * full (megabytes of a key) could not be answered on the bus, nor recorded as the outcome a
 * status URL shows, and would be echoed back whole to an HTTP client.
 */
export function bounded<E extends { message: string; field?: string }>(error: E): E {
  const { message, field } = error;
  return { ...error, message: cutShort(message, MOST_MESSAGE_CHARACTERS), ...(field === undefined ? {} : { field: cutShort(field, MOST_FIELD_CHARACTERS) }) };
}

/**
 * `text` cut to at most `most` UTF-16 units, saying how long it was (`length`: of what it
 * quotes, when it is a quotation), and never between the two halves of a character: a lone
 * half cannot be stored (Postgres refuses it in JSON), so a refusal quoting it could not be
 * recorded.
 */
export function cutShort(text: string, most: number, length = text.length): string {
  if (text.length <= most) return text;
  const end = isHighSurrogate(text.charCodeAt(most - 1)) ? most - 1 : most;
  return `${text.slice(0, end)}… (${length} characters)`;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
