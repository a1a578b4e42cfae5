import { REDACTED } from './redacted';
import { isSecretSetting } from './secret-names';
import { mergeSpans, type Span } from './spans';
import { URL_PASSWORD_SHAPE, withoutUrlPasswords } from './url-credentials';

/**
 * Redaction of text that is not a YAML/JSON document (log lines, env files, text that does
 * not parse): secrets recognised by the shape of the text around them.
 */

/** The stems isSecretSetting (settings.ts) knows, as a name in text spells them. */
const SECRET_WORD = String.raw`(?:secret|passw(?:or)?d|passphrase|pwd|token|credential|webhook|dsn|(?:api|private|access|signing|secret|encryption)[-_.]?key)`;
/**
 * A name (`DB_PASSWORD`, `"api_key"`) holding one of `words`. The name's characters are
 * taken as a whole (a lookahead captures them and the match takes the capture, so it never
 * backtracks into them): `[\w.-]*word[\w.-]*` would retry the rest of a long run once for
 * every secret word in it, and time would grow with the square of a blob's length.
 */
const nameHolding = (words: string) => String.raw`["']?(?=[\w.-]*?${words})(?=(?<name>[\w.-]+))\k<name>["']?`;
/** A name holding one of the secret words: its value is a secret's, whatever else the name says. */
const SECRET_NAME = nameHolding(SECRET_WORD);
/**
 * Names worth a look besides: those isSecretSetting may call secret by their words alone
 * (`tls.key`, `licenseKey`, `SMTP_PASS`, `ldapBindPw`), which a match then asks it about
 * (isSecretName): what the log seals by those rules is hidden from readers of the text by
 * the same ones. Shapes matching these take no more than the line they start on, so that a
 * match on a name that is no secret's (`keycloak.yaml`, `bypass`) passes over nothing.
 */
const MAYBE_SECRET_NAME = nameHolding(String.raw`(?:${SECRET_WORD}|key|pass|pw)`);
const HOLDS_SECRET_WORD = new RegExp(SECRET_WORD, 'i');
/** Whether a name a shape matched (its `name` group) is a secret's. */
const isSecretName = (name: string): boolean => HOLDS_SECRET_WORD.test(name) || isSecretSetting(name);
/** A whole `DB_PASSWORD: x` / `API_TOKEN=x` line (its indent is spaces, read once: `\s*-?\s*` would retry a long run of blanks from each point). */
const SECRET_LINE = new RegExp(String.raw`^([ \t]*(?:-[ \t]*)?${SECRET_NAME}\s*[:=]\s*).+$`, 'gim');
/** The same for the names isSecretName judges, its value on the same line. */
const NAMED_SECRET_LINE = new RegExp(String.raw`^([ \t]*(?:-[ \t]*)?${MAYBE_SECRET_NAME}[ \t]*[:=][ \t]*)\S.*$`, 'gim');
/**
 * The first line of a block scalar under a name isSecretName may judge secret (`tls.key: |`,
 * `ssh-private-key: >-`). Its value, the lines below it indented further (and blank ones
 * among them), is measured only for a secret's name (secretBlocks): taken by the pattern, a
 * block under a name that is no secret's would hide from it a secret's block inside.
 */
const BLOCK_HEADER = new RegExp(String.raw`^(?<indent>[ \t]*)((?:-[ \t]*)?${MAYBE_SECRET_NAME}[ \t]*:[ \t]*)[|>][-+0-9]*[ \t]*(?:#[^\n]*)?(?:\n|$)`, 'gim');

/** The secret blocks of the text: from the end of each one's `name: ` (what stays) to the end of its value. */
function secretBlocks(text: string): Array<{ keep: number; end: number }> {
  const blocks: Array<{ keep: number; end: number }> = [];
  for (const m of text.matchAll(new RegExp(BLOCK_HEADER.source, 'gimd'))) {
    if (!isSecretName(m.groups!.name!) || (blocks.length > 0 && m.index < blocks.at(-1)!.end)) continue;
    const indent = m.groups!.indent!.length;
    let end = m.index + m[0].length;
    while (end < text.length) {
      const lineEnd = text.indexOf('\n', end);
      const line = text.slice(end, lineEnd === -1 ? text.length : lineEnd);
      const deeper = line.length > indent && /^[ \t]*$/.test(line.slice(0, indent + 1));
      if (line.trim() !== '' && !deeper) break;
      end = lineEnd === -1 ? text.length : lineEnd + 1;
    }
    blocks.push({ keep: m.indices![2]![1], end });
  }
  return blocks;
}

function withoutSecretBlocks(text: string): string {
  let result = '';
  let at = 0;
  for (const { keep, end } of secretBlocks(text)) {
    result += `${text.slice(at, keep)}${REDACTED}\n`;
    at = end;
  }
  return result + text.slice(at);
}

/** A JSON-patch operation in block YAML on a secret-named path: `path: /data/DB_PASSWORD` followed by its `value:` line. */
const SECRET_PATCH_VALUE = new RegExp(String.raw`(^[ 	]*(?:-[ 	]*)?path:[ 	]*["']?[^
]*\/${MAYBE_SECRET_NAME}[ 	]*
[ 	]*value:[ 	]*)[^
]+`, 'gim');
/**
 * A Kubernetes env entry in block YAML: `- name: DB_PASSWORD` followed by its `value:` line,
 * or by a `valueFrom:` with something on its line (a malformed `valueFrom: hunter2` is as
 * secret as a value; a well-formed one is a block below, which lines alone cannot bound:
 * the structure finds it, secret-positions.ts).
 */
const SECRET_ENV_VALUE = new RegExp(String.raw`(^[ \t]*(?:-[ \t]*)?name:\s*${MAYBE_SECRET_NAME}\s*\n\s*(?:value:\s*|valueFrom:[ \t]*)).+$`, 'gim');
/** The same entry in flow style or JSON: `{name: DB_PASSWORD, value: x}`, `{"name":"API_KEY","valueFrom":"x"}`. */
const SECRET_FLOW_ENV_VALUE = new RegExp(String.raw`(["']?name["']?\s*:\s*${MAYBE_SECRET_NAME}\s*,\s*["']?value(?:From)?["']?\s*:\s*)("[^"]*"|'[^']*'|[^,}\]\n]+)`, 'gi');
/** Anywhere in a line: `password=x`, `"api_key": "x"`, `Cookie: x`; a name starts where a run of name characters does. */
const SECRET_PAIR = new RegExp(String.raw`(?<![\w.-])(${nameHolding(String.raw`(?:${SECRET_WORD}|authorization|cookie)`)}\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)`, 'gi');
const BEARER = /\b(bearer|basic)\s+[\w.~+/=-]+/gi;
/** A PEM private key under any name (`pem: |`, a file in a ConfigMap): its body, between its armour lines. */
// Its body is lines of key material (base64, and headers such as `DEK-Info: AES-128-CBC,…`),
// at most 256 of them and none another's armour: an armour line with no end must not send
// the search to the text's end from each one (a megabyte of them took 30 s).
const PRIVATE_KEY = /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)((?:\r?\n[ \t]*(?!-----BEGIN )[\w+/=:,. -]*){0,256}?)(\r?\n[ \t]*)(?=-----END [A-Z0-9 ]*PRIVATE KEY-----)/g;
/** A chat webhook URL under any name: the URL is its credential (`https://hooks.slack.com/services/T0/B0/x`). */
const WEBHOOK_URL = /(https?:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)|(?:discord|discordapp)\.com\/api\/webhooks|[\w.-]+\.webhook\.office\.com)\/)[^\s"'<>]+/gi;
/** Text that declares a Kubernetes Secret: block YAML (`kind: Secret`) or JSON (`"kind": "Secret"`). */
const SECRET_KIND = /(?:^[ \t]*kind[ \t]*:[ \t]*["']?Secret["']?[ \t]*$)|(?:["']kind["']\s*:\s*["']Secret["'])/m;

/** The text with every secret these shapes recognise replaced. */
export function redactTextPatterns(text: string): string {
  return withoutSecretBlocks(withoutUrlPasswords(text))
    .replace(SECRET_LINE, `$1${REDACTED}`)
    .replace(NAMED_SECRET_LINE, keepingFirstGroup)
    .replace(SECRET_ENV_VALUE, keepingFirstGroup)
    .replace(SECRET_PATCH_VALUE, keepingFirstGroup)
    .replace(SECRET_FLOW_ENV_VALUE, keepingFirstGroup)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(PRIVATE_KEY, `$1$3${REDACTED}$3`)
    .replace(WEBHOOK_URL, `$1${REDACTED}`)
    .replace(SECRET_PAIR, keepingFirstGroup);
}

/** Whether a match's `name` group (the last of String.replace's arguments) names a secret. */
const named = (rest: unknown[]): boolean => isSecretName((rest.at(-1) as { name: string }).name);
/** A match on a secret's name as its first group and `[redacted]`; any other as it was. */
const keepingFirstGroup = (match: string, kept: string, ...rest: unknown[]): string => (named(rest) ? `${kept}${REDACTED}` : match);

/** Where each shape above finds a secret: the part of a match the redaction replaces. */
type Replaced = (m: RegExpExecArray) => [number, number];
/** From the end of capture `n` (what the redaction keeps) to the end of the match. */
const afterGroup = (n: number): Replaced => (m) => [m.indices![n]![1], m.index + m[0].length];
/** Capture `n` (the value the redaction replaces); the last one when negative. */
const group = (n: number): Replaced => (m) => m.indices![n < 0 ? m.length + n : n]!;
/** The parts a shape finds in the text; a match on a name (its `name` group) only where the name is a secret's. */
const byPattern = (pattern: RegExp, replaced: Replaced) => {
  const re = new RegExp(pattern.source, `${pattern.flags}d`);
  return (text: string): Span[] => [...text.matchAll(re)]
    .filter((m) => m.groups?.name === undefined || isSecretName(m.groups.name))
    .map((m) => { const [start, end] = replaced(m as RegExpExecArray); return { start, end }; });
};
const SPANS: ReadonlyArray<(text: string) => Span[]> = [
  byPattern(URL_PASSWORD_SHAPE, group(2)),
  // A block's value up to its last line's end: the newline after it stays, as redactTextPatterns writes it.
  (text) => secretBlocks(text).map(({ keep, end }) => ({ start: keep, end: text[end - 1] === '\n' ? end - 1 : end })),
  byPattern(SECRET_LINE, afterGroup(1)), byPattern(NAMED_SECRET_LINE, afterGroup(1)), byPattern(SECRET_ENV_VALUE, afterGroup(1)),
  byPattern(SECRET_PATCH_VALUE, afterGroup(1)), byPattern(SECRET_FLOW_ENV_VALUE, group(-1)), byPattern(SECRET_PAIR, group(-1)), byPattern(BEARER, afterGroup(1)),
  byPattern(PRIVATE_KEY, group(2)), byPattern(WEBHOOK_URL, afterGroup(1)),
];

/**
 * The parts of the text that redactTextPatterns replaces, in order and merged where they
 * overlap. As redactTextPatterns does, each shape reads the text as the shapes before it
 * left it — the parts they found masked — so that one shape's match cannot swallow what a
 * later one finds (a pair's value running over the next line's name).
 */
export function patternSpans(text: string): Span[] {
  let spans: Span[] = [];
  for (const find of SPANS) {
    const found = find(masked(text, spans)).filter(({ start, end }) => end > start);
    if (found.length > 0) spans = mergeSpans([...spans, ...found]);
  }
  return spans;
}

/**
 * The text with each part patternSpans finds replaced by `[redacted]`, its line breaks kept:
 * for text whose lines are told apart after (a log whose lines carry timestamps), and whose
 * secrets may run over several of them (a PEM key, a block under a secret name).
 */
export function redactTextKeepingLines(text: string): string {
  let result = '';
  let at = 0;
  for (const { start, end } of patternSpans(text)) {
    const lines = text.slice(start, end).split('\n');
    result += text.slice(at, start) + lines.map((line, i) => (i === 0 || line.trim() !== '' ? REDACTED : '')).join('\n');
    at = end;
  }
  return result + text.slice(at);
}

/** What a part found reads as to the shapes after it: a character that is neither a name's nor a blank. */
const MASK = '\u2588';

function masked(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  let result = '';
  let at = 0;
  for (const { start, end } of spans) {
    result += text.slice(at, start) + MASK.repeat(end - start);
    at = end;
  }
  return result + text.slice(at);
}

/**
 * Text that did not parse as YAML/JSON: a Secret's values cannot be found in it by their
 * keys (any key may hold one), so all of it is hidden; other text by the patterns above.
 */
export function redactUnparsedText(text: string): string {
  return declaresSecret(text) ? REDACTED : redactTextPatterns(text);
}

/** Whether the text declares a Kubernetes Secret (`kind: Secret`, block YAML or JSON). */
export const declaresSecret = (text: string): boolean => SECRET_KIND.test(text);
