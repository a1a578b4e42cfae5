import { redactTextPatterns } from '@slipway/contracts';

/**
 * A field error's value as the API server quotes it — `Invalid value: "hunter2": must
 * match …`, `Unsupported value: 5: …` — a string (Go's %q) or anything else up to the
 * detail that follows it.
 */
const FIELD_VALUE = /\b(Invalid value|Unsupported value|Duplicate value|Not found): (?:"(?:[^"\\]|\\.)*"|.*?(?=: |$))/g;
const FIELD_ERROR_TYPE = /: (Invalid value|Unsupported value|Duplicate value|Not found|Required value|Forbidden|Too long|Too many|Internal error)\b/g;

/**
 * The API server's text as Slipway passes it on (push results, drift, logs, outcomes):
 * without the values its field errors quote (a CRD's schema check quotes the refused
 * value, a Secret's among them) and with what looks like a secret redacted (an admission
 * webhook's message may quote the object as it likes).
 */
export function shownMessage(message: string): string {
  // A field error's `<path>: <type>` is no `name: value` pair, even when the path names a
  // password: set apart while the secret patterns run, so they leave it as it is.
  const apart = message.replace(FIELD_VALUE, '$1: [value not shown]').replace(FIELD_ERROR_TYPE, '\u0001$1');
  return redactTextPatterns(apart).replace(/\u0001/g, ': ');
}
