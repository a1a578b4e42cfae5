/** How much of a refused value a message shows. */
const SHOWN_CHARACTERS = 60;

/**
 * A refused value as an error message quotes it: as JSON, cut short past a few dozen
 * characters (a message must not echo a large input back), and never failing — a value
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
  return text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}… (${text.length} characters)` : text;
}
