import { randomBytes } from 'node:crypto';
import { Document, parse, visit, type Scalar } from 'yaml';
import { plainYamlText } from './plain-yaml-text';

/**
 * `value` (JSON data) as YAML text, each string for which `quoted` holds double-quoted, then
 * `finish` run on the text. Written by plainYamlText where it can (the writer's own output,
 * in one walk); otherwise by the writer (libraryYamlText), and read back to be sure it is
 * `value`: the writer (yaml 2.9) misfolds some strings — a folded block whose first line is
 * indented further (its spaces read back as a line break), a kept block of blanks written
 * without its indentation (read back as a lone line break), a double-quoted string broken at
 * an escaped space (read back with a backslash). Where what it wrote reads back otherwise,
 * every string it may have folded is written as a JSON string instead, on one line (a JSON
 * string is a YAML double-quoted one); should that too read otherwise, the whole value as JSON.
 */
export function faithfulYamlText(value: unknown, quoted: (text: string) => boolean = () => false, finish: (text: string) => string = (text) => text): string {
  const plain = plainYamlText(value, quoted);
  return plain === undefined ? libraryYamlText(value, quoted, finish) : finish(plain);
}

/** faithfulYamlText as the `yaml` writer alone writes it: what plainYamlText must equal, byte for byte (its test). */
export function libraryYamlText(value: unknown, quoted: (text: string) => boolean, finish: (text: string) => string = (text) => text): string {
  const style = (node: Scalar<string>) => {
    if (quoted(node.value)) node.type = 'QUOTE_DOUBLE';
  };
  let foldable = false;
  const written = finish(styled(value, (node) => {
    foldable ||= mayFold(node.value);
    style(node);
  }).toString());
  // Read back only where the writer may have broken a string: reading costs as much as writing.
  if (!foldable || readsBackAs(written, value)) return written;
  const onOneLine = finish(withJsonStrings(value, style));
  if (readsBackAs(onOneLine, value)) return onOneLine;
  return finish(escapedForYaml(JSON.stringify(value, null, 2)));
}

function styled(value: unknown, style: (node: Scalar<string>) => void): Document {
  const document = new Document(value, { aliasDuplicateObjects: false });
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string') style(node as Scalar<string>);
    },
  });
  return document;
}

/**
 * A string the writer may fold or write as a block: one holding a line break, or past the
 * narrowest width it folds to (20 characters) with white space to fold at (a long word, an
 * image or base64 data, is written whole on its line).
 */
const mayFold = (text: string): boolean => text.includes('\n') || text.includes('\r') || (text.length > 20 && /\s/.test(text));

/** `value` written with each string the writer may fold as a JSON string, put in where a marker stood. */
function withJsonStrings(value: unknown, style: (node: Scalar<string>) => void): string {
  const marker = `slipway${randomBytes(8).toString('hex')}x`;
  const strings: string[] = [];
  const document = styled(value, (node) => {
    if (!mayFold(node.value)) return style(node);
    strings.push(node.value);
    node.value = `${marker}${strings.length - 1}`;
    node.type = 'PLAIN';
  });
  return document.toString().replace(new RegExp(`${marker}(\\d+)`, 'g'), (_marker, i: string) => escapedForYaml(JSON.stringify(strings[Number(i)])));
}

/** What no YAML document holds raw, or YAML 1.1 reads as a line break, which JSON leaves raw. */
const NOT_RAW_IN_YAML = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g;
/** YAML 1.1's line breaks beyond \n and \r, as the double-quoted style escapes them. */
const LINE_BREAK_ESCAPES: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

/** A character YAML's double-quoted style must escape, escaped. */
function yamlEscape(character: string): string {
  const code = character.charCodeAt(0);
  return LINE_BREAK_ESCAPES[character] ?? (code <= 0xff ? `\\x${code.toString(16).toUpperCase()}` : `\\u${code.toString(16).toUpperCase()}`);
}

/** Double-quoted text (JSON strings) with what YAML does not hold raw escaped. */
export const escapedForYaml = (text: string): string => text.replace(NOT_RAW_IN_YAML, yamlEscape);

/**
 * JSON text with what YAML does not hold raw written as JSON's `\u` escapes: the same JSON,
 * which a YAML reader reads as a JSON reader does (a body the Kubernetes API server reads as
 * YAML, whose sender reads it again as JSON).
 */
export const jsonReadableAsYaml = (json: string): string => json.replace(NOT_RAW_IN_YAML, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);

function readsBackAs(text: string, value: unknown): boolean {
  try {
    return sameData(parse(text, { logLevel: 'error' }), value);
  } catch {
    return false;
  }
}

/** Whether `read` is `value` as JSON would write it (undefined members left out, toJSON taken). */
function sameData(read: unknown, value: unknown): boolean {
  const data = value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON: () => unknown }).toJSON() : value;
  if (Array.isArray(data)) {
    return Array.isArray(read) && read.length === data.length && data.every((member, i) => sameData(read[i], member === undefined ? null : member));
  }
  if (data !== null && typeof data === 'object') {
    if (read === null || typeof read !== 'object' || Array.isArray(read)) return false;
    const members = Object.entries(data).filter(([, member]) => member !== undefined);
    return members.length === Object.keys(read).length && members.every(([key, member]) => Object.hasOwn(read, key) && sameData((read as Record<string, unknown>)[key], member));
  }
  return read === data;
}
