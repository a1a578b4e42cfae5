import { REDACTED } from './redacted';
import { MAX_PARSED_TEXT, mayHoldDocuments, redactSecretText } from './redact-text';
import { replaceSecrets } from './redact-value';
import { occurrenceSpans, replacingSpans } from './spans';

/**
 * Secret values shorter than this are not looked for in text. Strings of one to three
 * characters (`v1`, `app`, `80`, `id`) occur by chance in nearly any message, and hiding
 * each occurrence would leave an error unreadable; and a value that short hides nothing
 * anyway (every string of up to three printable characters is under a million guesses).
 * Four keeps a PIN's worth hidden, at the cost of a chance match now and then.
 */
export const MIN_SECRET_STRING_LENGTH = 4;

/**
 * The secret values of a JSON value, by redactSecrets' rules, as text quoting them would
 * spell them: every string and number at a secret position, each leaf of a map or list
 * there (an env entry's `value: {inner: …}` is secret all through), and a string holding
 * secrets in its text (a URL with a password, config text) whole. Booleans are left out:
 * `true` is no one's secret. Text past MAX_PARSED_TEXT that may hold documents is taken whole
 * too, whatever it holds: the patterns alone miss what only its structure tells (an alias or
 * an escaped key standing for a password), and parsing it whole takes about a second a MiB,
 * too long for what asks (a rule run on every command it settles, an API server's message
 * scrubbed); such text is rare, and taking one for a secret only hides it where it is quoted.
 */
export function secretStringsOf(value: unknown): Set<string> {
  const found = new Set<string>();
  const collect = (secret: unknown): unknown => {
    if (typeof secret === 'string' || typeof secret === 'number') found.add(String(secret));
    else if (secret && typeof secret === 'object') Object.values(secret).forEach(collect);
    return secret;
  };
  replaceSecrets(value, {
    value: collect,
    text: (text, inSecret) => (holdsSecretText(text, inSecret) ? collect(text) as string : text),
  });
  return found;
}

const holdsSecretText = (text: string, inSecret: boolean): boolean =>
  (text.length > MAX_PARSED_TEXT && mayHoldDocuments(text)) || redactSecretText(text, inSecret) !== text;

/**
 * The text with each occurrence of a secret replaced by `[redacted]`: as written, and as a
 * JSON or Go quoted string escapes it (the API server prints refused values with Go's %q
 * and %#v, a webhook may quote JSON). One pass, longest first, so that a secret inside
 * another does not leave the rest of the longer one, nor match inside `[redacted]`.
 */
export function withoutSecretStrings(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_STRING_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  return forms.size === 0 ? text : replacingSpans(text, occurrenceSpans(text, forms), () => REDACTED);
}
