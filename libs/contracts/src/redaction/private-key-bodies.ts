import type { Span } from './spans';

/** The armour lines of a PEM private key; what lies between a BEGIN and the END after it is the key. */
const PRIVATE_KEY_ARMOUR = /-----(BEGIN|END) [A-Z0-9 ]*PRIVATE KEY-----/g;

/**
 * The bodies of the PEM private keys in the text, under any name (`pem: |`, a file in a
 * ConfigMap, a log line): from the first character after a BEGIN line's break and indent to
 * the line break before its END. Found in one pass over the armour lines (a pattern that
 * searched from each BEGIN for its END was quadratic, then exponential, on hostile text).
 * `excerpt`: the text was cut from a longer one (a log read from a time on, or up to a byte
 * bound), so a key may be cut at either edge: an END before any BEGIN closes a key opened
 * before the text's start, a BEGIN with no END opens one that runs past its end.
 */
export function privateKeyBodies(text: string, excerpt = false): Span[] {
  const bodies: Span[] = [];
  let open: number | undefined;
  let first = true;
  for (const m of text.matchAll(PRIVATE_KEY_ARMOUR)) {
    const cutAtStart = first && excerpt;
    first = false;
    if (m[1] === 'BEGIN') {
      open = m.index + m[0].length;
      continue;
    }
    if (open === undefined && !cutAtStart) continue;
    const body = bodyBetween(text, open ?? 0, m.index);
    if (body) bodies.push(body);
    open = undefined;
  }
  const cutAtEnd = excerpt && open !== undefined ? bodyBetween(text, open, text.length) : undefined;
  return cutAtEnd ? [...bodies, cutAtEnd] : bodies;
}

/** A key's body between the end of its BEGIN line (`open`) and the start of its END line: the break and blanks around it left out. */
function bodyBetween(text: string, open: number, close: number): Span | undefined {
  let start = open;
  while (start < close && /[\r\n \t]/.test(text[start]!)) start++;
  let end = close;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  if (text[end - 1] === '\n') end--;
  if (text[end - 1] === '\r') end--;
  return end > start ? { start, end } : undefined;
}
