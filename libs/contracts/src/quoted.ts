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
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'a list' : typeof value === 'object' && value !== null ? 'an object' : String(value);
  }
  return cutShort(redactTextPatterns(text), SHOWN_CHARACTERS);
}

/**
 * `text` cut to at most `most` UTF-16 units, saying how long it was, and never between the two
 * halves of a character: a lone half cannot be stored (Postgres refuses it in JSON), so a
 * refusal quoting it could not be recorded.
 */
export function cutShort(text: string, most: number): string {
  if (text.length <= most) return text;
  const end = isHighSurrogate(text.charCodeAt(most - 1)) ? most - 1 : most;
  return `${text.slice(0, end)}… (${text.length} characters)`;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
