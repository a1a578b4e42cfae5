import { parse } from 'yaml';
import { faithfulYamlText, QUIET_YAML } from '@slipway/contracts';

/**
 * A JSON value as YAML text every reader takes back as the same value. The YAML 1.2 writer
 * quotes the strings a 1.2 reader would take for something else (`0o17`, `true`); strings a
 * YAML 1.1 reader (PyYAML, go-yaml v2, so kubectl's older paths) would misread — `yes`,
 * `on`, `1_000`, `2001-12-14`, `0777`, `12:30`, a `<<` key, `=` — are quoted too. Values that
 * appear twice are written out each time, not as anchors and aliases: the text is read by
 * people and searched.
 */
export function toYamlText(value: unknown): string {
  return faithfulYamlText(value, misreadByYaml11);
}

/** YAML 1.1's booleans and null, in any case (`Yes`, `OFF`, `Null` and the like). */
const YAML11_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null']);

/**
 * Whether a YAML 1.1 reader would take this string, written plain, for another value. Only
 * short one-line strings can be (a multi-line one is written as a block, which no reader
 * takes for anything but text); `<<` is a merge key and `=` a value tag to 1.1 readers.
 */
function misreadByYaml11(text: string): boolean {
  if (text === '<<' || text === '=') return true;
  if (text.length > 64 || text.includes('\n')) return false;
  // What else YAML 1.1 resolves starts so (numbers, sexagesimals, dates, .inf, ~) or is one of
  // its words: other text is kept as text, and need not be parsed (materialization's hot path).
  if (!/^[-+.0-9~]/.test(text) && !YAML11_WORDS.has(text.toLowerCase())) return false;
  try {
    return parse(text, { ...QUIET_YAML, version: '1.1' }) !== text;
  } catch {
    return true;
  }
}
