import { redactTextPatterns } from '@slipway/contracts';

/** Where a field error quotes the value it refused: `spec.x: Invalid value: "hunter2": must …`. */
const FIELD_VALUE = /\b(?:Invalid value|Unsupported value|Duplicate value): /g;
/** A field error's `<path>: <type>`, which is no `name: value` pair even when the path names a password. */
const FIELD_ERROR_TYPE = /: (Invalid value|Unsupported value|Duplicate value|Not found|Required value|Forbidden|Too long|Too many|Internal error)\b/g;
const NOT_SHOWN = '[value not shown]';

/**
 * The API server's text as Slipway passes it on (push results, drift, logs, outcomes):
 * without the values its field errors quote (a CRD's schema check quotes the refused
 * value, a Secret's among them) and with what looks like a secret redacted (an admission
 * webhook's message may quote the object as it likes).
 */
export function shownMessage(message: string): string {
  // The `<path>: <type>` parts are set apart while the secret patterns run, so they leave them as they are.
  const apart = withoutFieldValues(message).replace(FIELD_ERROR_TYPE, '\u0001$1');
  return redactTextPatterns(apart).replace(/\u0001/g, ': ');
}

/** The API server's text without the values its field errors quote, which say nothing of what the error is. */
export function withoutFieldValues(message: string): string {
  let shown = '';
  let at = 0;
  for (const mark of message.matchAll(FIELD_VALUE)) {
    const start = mark.index + mark[0].length;
    if (start <= at) continue;
    shown += message.slice(at, start) + NOT_SHOWN;
    at = valueEnd(message, start);
  }
  return shown + message.slice(at);
}

/**
 * Where a value the API server printed ends: a quoted string (Go's %q) whole; anything else
 * (a number, Go's %#v of a map or a slice) at the first `: `, `, `, `]` or line end outside
 * quotes and brackets — where the error's detail, or the next error of a list, begins.
 */
function valueEnd(text: string, from: number): number {
  if (text[from] === '"') return quotedEnd(text, from);
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = quotedEnd(text, i) - 1;
    else if (c === '\n') return i;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ']') { if (depth === 0) return i; depth--; }
    else if (depth === 0 && (c === ':' || c === ',') && text[i + 1] === ' ') return i;
  }
  return text.length;
}

/** The index just past the quoted string that starts at `from`. */
function quotedEnd(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}
