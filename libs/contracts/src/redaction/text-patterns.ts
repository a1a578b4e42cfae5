import { REDACTED } from './redacted';
import { isSecretName, SECRET_WORD } from './secret-names';
import { privateKeyBodies } from './private-key-bodies';
import { mergeSpans, replacingSpans, type Span } from './spans';
import { TOKEN_SECRET } from './token-secrets';
import { URL_PASSWORD_SHAPE } from './url-credentials';
import { tomlSecretSpans } from './toml-secrets';
import { referencedEntityValues, xmlSecretSpans } from './xml-secrets';

/**
 * Redaction of text that is not a YAML/JSON document (log lines, env files, text that does
 * not parse): secrets recognised by the shape of the text around them.
 */

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
const MAYBE_SECRET_WORD = String.raw`(?:${SECRET_WORD}|key|pass|pw|pat|masterauth)`;
const MAYBE_SECRET_NAME = nameHolding(MAYBE_SECRET_WORD);
/**
 * A whole `DB_PASSWORD: x` / `API_TOKEN=x` line, its value on that line (its indent is spaces,
 * read once: `\s*-?\s*` would retry a long run of blanks from each point). A value on the
 * lines below is a block's (secretBlocks); an empty one takes nothing (`DB_PASSWORD=` then
 * `LOG_LEVEL=debug` on the next line is no secret).
 */
const SECRET_LINE = new RegExp(String.raw`^([ \t]*(?:-[ \t]*)?${SECRET_NAME}[ \t]*[:=][ \t]*)\S.*$`, 'gim');
/** The same for the names isSecretName judges, its value on the same line. */
const NAMED_SECRET_LINE = new RegExp(String.raw`^([ \t]*(?:-[ \t]*)?${MAYBE_SECRET_NAME}[ \t]*[:=][ \t]*)\S.*$`, 'gim');
/**
 * A configuration directive: a line of a name isSecretName judges and its value after blanks,
 * no `:` or `=` between (`auth_token abc`, Redis's `requirepass foobared`, nginx's `;` after
 * it, a comment after that). The value is one word, quoted or not, and nothing else but the
 * `;` and comment follows it: a line of words that starts with such a name ("token expired at
 * noon") is no directive, and stays as it is; nor is a flag (`--token  -v`: the flag shapes
 * read those). The blanks around the `;` are two runs only with the `;` between them: two
 * optional runs side by side were tried against each other, and a quoted flag followed by a
 * million blanks was read for minutes without an end.
 */
const SECRET_DIRECTIVE = new RegExp(String.raw`^([ \t]*(?!-)${MAYBE_SECRET_NAME}[ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s"';#:=][^\s"';#]*)(?=[ \t]*(?:;[ \t]*)?(?:#[^\n]*)?\r?$)`, 'gim');
/**
 * A line that names a value isSecretName may judge secret and holds nothing of it: a block
 * scalar (`tls.key: |`, `ssh-private-key: >-`, `tls.key: !!binary |`) or a value on the
 * lines below (`password:` then the words, `passwords:` then a list). The value, the lines
 * below it indented further (and blank ones among them), is measured only for a secret's name
 * (secretBlocks): taken by the pattern, a block under a name that is no secret's would hide
 * from it a secret's block inside.
 */
// After the colon, each of tag, anchor, indicator and comment is led by the blanks before it:
// a run of blanks is taken one way only (two optional runs side by side took minutes on one).
const BLOCK_HEADER = new RegExp(String.raw`^(?<indent>[ \t]*)((?:-[ \t]*)?${MAYBE_SECRET_NAME}[ \t]*:)(?:[ \t]*(?:[!&][^\s]*|[|>][-+0-9]*|#[^\n]*))*[ \t]*(?:\r?\n|$)`, 'gim');

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
    // What stays: the name, its colon and the blanks after it (`tls.key: ` before `|`).
    let keep = m.indices![2]![1];
    while (text[keep] === ' ' || text[keep] === '\t') keep++;
    blocks.push({ keep, end });
  }
  return blocks;
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
const SECRET_ENV_VALUE = new RegExp(String.raw`(^[ \t]*(?:-[ \t]*)?name:[ \t]*${MAYBE_SECRET_NAME}[ \t]*\r?\n[ \t]*(?:value:[ \t]*|valueFrom:[ \t]*)).+$`, 'gim');
/** The same entry in flow style or JSON: `{name: DB_PASSWORD, value: x}`, `{"name":"API_KEY","valueFrom":"x"}`. */
const SECRET_FLOW_ENV_VALUE = new RegExp(String.raw`(["']?name["']?\s*:\s*${MAYBE_SECRET_NAME}\s*,\s*["']?value(?:From)?["']?\s*:\s*)("[^"]*"|'[^']*'|[^,}\]\n]+)`, 'gi');
/** Anywhere in a line, its value on that line: `password=x`, `"api_key": "x"`, `Cookie: x`; a name starts where a run of name characters does. */
const SECRET_PAIR = new RegExp(String.raw`(?<![\w.-])(${nameHolding(String.raw`(?:${SECRET_WORD}|authorization|cookie)`)}[ \t]*[:=][ \t]*)("[^"]*"|'[^']*'|\S+)`, 'gi');
/**
 * A command-line flag naming a secret (`--db-password`, `"--api-key"`; judged as isSecretFlag
 * judges a list's element), and the quote that closes it: a `-` that starts a run of name
 * characters, then the rest of the run taken whole as nameHolding takes a name. The match
 * starts at the `-` itself, not at a lookbehind, so that the search skips to each dash (one
 * starting with a lookbehind was tried at every character: five times as slow on a log).
 * A `--token=x` is a pair (SECRET_PAIR).
 */
const SECRET_FLAG = String.raw`-(?<![\w.-]-)(?=[\w.-]*?${MAYBE_SECRET_WORD})(?=(?<name>[\w.-]*))\k<name>["']?`;
/** What is no flag's value, as elementPositions judges a list's: another flag (`--password-stdin --verbose`), an empty string. */
const NOT_AN_ITEM_VALUE = String.raw`(?!["']?-|""|'')`;
/** On a line, a pair's `:`/`=` (SECRET_PAIR's) and a list's comma besides. */
const NOT_A_FLAG_VALUE = String.raw`(?!["']?-|""|''|[:=,])`;
/**
 * A flag naming a secret and its value after blanks, or after a comma in a flow list or JSON
 * (`app --token abc -v`, `["--db-password", "hunter2"]`, `[app, --api-key, k123]`): a quoted
 * string (JSON's escapes read) or a word, on the flag's line; after a comma, a word ends where
 * the list's element does (`k123`, not `k123]`). A blank or a comma comes first, and the gap
 * is taken whole as a name is: tried again a blank shorter, each value would look back over
 * the blanks for a comma, and time grew with the square of a run of blanks.
 */
const SECRET_FLAG_VALUE = new RegExp(String.raw`(${SECRET_FLAG}(?=[ \t,])(?=(?<gap>[ \t]*(?:,[ \t]*)?))\k<gap>)${NOT_A_FLAG_VALUE}("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|(?<=,[ \t]*)[^\s,\]}]+|\S+)`, 'gi');
/**
 * The same in a block list, the value the item on the next line at the flag's indent
 * (`args:`, `- --db-password`, `- hunter2`): the whole item, as SECRET_LINE takes a value.
 */
const SECRET_FLAG_ITEM = new RegExp(String.raw`(^(?<indent>[ \t]*)-[ \t]+["']?${SECRET_FLAG}[ \t]*\r?\n\k<indent>-[ \t]+)${NOT_AN_ITEM_VALUE}\S.*$`, 'gim');
const BEARER = /\b(bearer|basic)\s+([\w.~+/=-]+)/gi;
/** A chat webhook URL under any name: the URL is its credential (`https://hooks.slack.com/services/T0/B0/x`). */
const WEBHOOK_URL = /(https?:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)|(?:discord|discordapp)\.com\/api\/webhooks|[\w.-]+\.webhook\.office\.com)\/)[^\s"'<>]+/gi;
/** Text that declares a Kubernetes Secret: block YAML (`kind: Secret`) or JSON (`"kind": "Secret"`). */
const SECRET_KIND = /(?:^[ \t]*kind[ \t]*:[ \t]*["']?Secret["']?[ \t]*$)|(?:["']kind["']\s*:\s*["']Secret["'])/m;

/** The text with every secret these shapes recognise replaced: the parts patternSpans finds, so that what sealing keeps out of the log and what readers see hidden are one. */
export function redactTextPatterns(text: string): string {
  return replacingSpans(text, patternSpans(text), () => REDACTED);
}

/** Where each shape above finds a secret: the part of a match the redaction replaces. */
type Replaced = (m: RegExpExecArray) => [number, number];
/** From the end of capture `n` (what the redaction keeps) to the end of the match. */
const afterGroup = (n: number): Replaced => (m) => [m.indices![n]![1], m.index + m[0].length];
/** Capture `n` (the value the redaction replaces); the last one when negative. */
const group = (n: number): Replaced => (m) => m.indices![n < 0 ? m.length + n : n]!;
/** The parts a shape finds in the text; a match on a name (its `name` group) only where the name is a secret's. */
const byPattern = (pattern: RegExp, replaced: Replaced, rereadValues = false) => {
  const re = new RegExp(pattern.source, `${pattern.flags}d`);
  return (text: string): Span[] => {
    const spans: Span[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const name = m.groups?.name;
      if (name === undefined || isSecretName(name)) {
        const [start, end] = replaced(m);
        if (!foundBefore(text, start, end)) spans.push({ start, end });
      } else if (rereadValues) {
        // A flag that names no secret (`--keyring`): what the match took as its value is read
        // again, as a secret flag may lie in it (`--keyring 'run --token abc'`). Only for flags:
        // their values end at a quote or a blank, so each character is read again at most once
        // more (a line's value, to its end, read again after each name would be quadratic).
        re.lastIndex = m.indices!.groups!.name![1];
      }
      if (m[0].length === 0) re.lastIndex += 1;
    }
    return spans;
  };
};
/**
 * Every shape, in the order they are looked for: each reads the text with what the ones
 * before it found masked. A key's body first (whatever names it), URL passwords, tokens and
 * hook URLs before the name-led shapes, whose values would otherwise end at their first space
 * or line and leave the rest. A Slipway token's secret is one under any name.
 */
const urlPasswords = byPattern(URL_PASSWORD_SHAPE, group(2));
const tokenSecrets = byPattern(new RegExp(TOKEN_SECRET.source, 'g'), group(0));
const SPANS_AFTER_KEYS: ReadonlyArray<(text: string) => Span[]> = [
  urlPasswords, byPattern(BEARER, group(2)), tokenSecrets, byPattern(WEBHOOK_URL, afterGroup(1)),
  // A block's value up to its last line's end: the newline after it stays.
  (text) => secretBlocks(text).map(({ keep, end }) => ({ start: keep, end: text[end - 1] === '\n' ? end - 1 - (text[end - 2] === '\r' ? 1 : 0) : end })),
  tomlSecretSpans,
  xmlSecretSpans,
  byPattern(SECRET_LINE, afterGroup(1)), byPattern(NAMED_SECRET_LINE, afterGroup(1)), byPattern(SECRET_DIRECTIVE, group(-1)), byPattern(SECRET_ENV_VALUE, afterGroup(1)),
  byPattern(SECRET_PATCH_VALUE, afterGroup(1)), byPattern(SECRET_FLOW_ENV_VALUE, group(-1)), byPattern(SECRET_PAIR, group(-1)),
  byPattern(SECRET_FLAG_ITEM, afterGroup(1)), byPattern(SECRET_FLAG_VALUE, group(-1), true),
];
const SPANS = [privateKeyBodies, ...SPANS_AFTER_KEYS];
/** The same shapes for text cut from a longer one: keys cut at its edges too (privateKeyBodies). */
const EXCERPT_SPANS = [(text: string) => privateKeyBodies(text, true), ...SPANS_AFTER_KEYS];

/**
 * The parts of the text that redactTextPatterns replaces, in order and merged where they
 * overlap. As redactTextPatterns does, each shape reads the text as the shapes before it
 * left it — the parts they found masked — so that one shape's match cannot swallow what a
 * later one finds (a pair's value running over the next line's name).
 */
export function patternSpans(text: string): Span[] {
  return withEntityValues(text, spansOf(text, SPANS));
}

/** The spans with the XML entities they refer to: a secret's text may be an entity's name, its value declared elsewhere. */
function withEntityValues(text: string, spans: Span[]): Span[] {
  const values = referencedEntityValues(text, spans);
  return values.length === 0 ? spans : mergeSpans([...spans, ...values]);
}

/** What is a secret whatever names it: a private key's body, a URL's password, a Slipway token's secret. */
const SHAPES = [privateKeyBodies, urlPasswords, tokenSecrets];

/**
 * The text with what is a secret whatever names it (SHAPES) replaced: for the server's own
 * words quoting what it was sent (a refusal's message), where the name-led shapes would take
 * its wording for a secret's (`missing token: send "Authorization: Bearer <token>"`).
 */
export function redactSecretShapes(text: string): string {
  return replacingSpans(text, spansOf(text, SHAPES), () => REDACTED);
}

function spansOf(text: string, finders: ReadonlyArray<(text: string) => Span[]>): Span[] {
  let spans: Span[] = [];
  for (const find of finders) {
    const found = find(masked(text, spans)).filter(({ start, end }) => end > start);
    if (found.length > 0) spans = mergeSpans([...spans, ...found]);
  }
  return spans;
}

/**
 * The text with each part patternSpans finds replaced by `[redacted]`, its line breaks kept:
 * for text whose lines are told apart after (a log whose lines carry timestamps), and whose
 * secrets may run over several of them (a PEM key, a block under a secret name).
 * `excerpt`: the text was cut from a longer one, and a private key cut at its start or end
 * is hidden too (privateKeyBodies).
 */
export function redactTextKeepingLines(text: string, excerpt = false): string {
  return replacingSpans(text, withEntityValues(text, spansOf(text, excerpt ? EXCERPT_SPANS : SPANS)), (part) => part.split('\n').map((line, i) => (i === 0 || line.trim() !== '' ? REDACTED : '')).join('\n'));
}

/** What a part found reads as to the shapes after it: a character that is neither a name's nor a blank. */
const MASK = '\u2588';
/** A value a shape before found whole, in its quotes: `keystorePass="███"` as the pairs read an attribute the XML reader hid. */
const FOUND_BEFORE = new RegExp(String.raw`^(["']?)${MASK}+\1$`);
/**
 * Whether a match's value is one an earlier shape found whole: it adds nothing but the quotes
 * around it, which stay (an XML attribute read as a pair showed as `password=[redacted]`, its
 * quotes taken, and the element no longer read as XML).
 */
const foundBefore = (text: string, start: number, end: number): boolean =>
  (text.charCodeAt(end - 1) === MASK_CODE || text.charCodeAt(end - 2) === MASK_CODE) && FOUND_BEFORE.test(text.slice(start, end));
const MASK_CODE = MASK.charCodeAt(0);

function masked(text: string, spans: readonly Span[]): string {
  return spans.length === 0 ? text : replacingSpans(text, spans, (part) => MASK.repeat(part.length));
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
