import { createHash, createHmac } from 'node:crypto';
import { redactWholeText, RememberedTexts, replaceSecrets, textsIn, type ReaderText, type TextIn } from '@slipway/contracts';
import type { Sql } from '@slipway/event-log';
import { OffLoop, READER_VIEWS } from '@slipway/runtime';
import { isJsonMap, type JsonMap } from './match-elements';
import { inStoredForm } from './stored-form';

/**
 * An applied manifest is recorded (ConfigApplied) to compare the live object with later,
 * but its secrets must not enter the log: each secret value (by the redaction rules: a
 * Secret's values, secret-named keys and env entries, strings holding a URL password or
 * config text with secrets) is recorded as a keyed digest. Drift compares the digest of
 * the live value with it, which tells whether the value changed and nothing else; without
 * the key, the log holds nothing that can be checked against guesses.
 */
const PREFIX = 'slipway-digest:';
const DIGEST = /^slipway-digest:[A-Za-z0-9_-]{43}$/;

/** A secret value's digest; a value other than a string by its JSON. */
export type Digest = (value: unknown) => string;

export function digestWith(key: string): Digest {
  return (value) => PREFIX + createHmac('sha256', key).update(typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined').digest('base64url');
}

export const isDigest = (value: unknown): value is string => typeof value === 'string' && DIGEST.test(value);

/** The deployer's digest key (made by its migrations). */
export async function readDigest(sql: Sql): Promise<Digest> {
  const key = (await sql.query<{ key: string }>('SELECT key FROM deployer.seal_key')).rows[0]?.key;
  if (!key) throw new Error('the deployer has no seal_key: its migrations have not run');
  return digestWith(key);
}

/**
 * Whether a string of a manifest holds a secret by the redaction rules, whatever its size (a
 * ConfigMap's file may be a MiB, which takes the parser about a second): past the parse bound
 * of reads the patterns alone would let an alias or a complex key standing for a password into
 * the log. Long texts' answers are remembered: a push records each manifest twice, and the
 * next push of the same config asks again.
 */
const judged = new RememberedTexts(1024 * 1024);
const REMEMBERED_FROM = 4 * 1024;
const judgedKey = ({ text, inSecret }: TextIn): string => `${inSecret ? 'S' : 's'}${createHash('sha256').update(text).digest('base64url')}`;

/** judgedKey of each text, worked out once a record: judgeOffLoop and holdsSecret both ask, and a MiB's digest takes milliseconds. */
type JudgedKeys = (text: TextIn) => string;
function judgedKeysOnce(): JudgedKeys {
  const known = { secret: new Map<string, string>(), open: new Map<string, string>() };
  return (text) => {
    const keys = known[text.inSecret ? 'secret' : 'open'];
    let key = keys.get(text.text);
    if (key === undefined) keys.set(text.text, (key = judgedKey(text)));
    return key;
  };
}

function holdsSecret(text: string, inSecret: boolean, keyOf: JudgedKeys): boolean {
  const holds = () => redactWholeText(text, inSecret) !== text;
  if (text.length < REMEMBERED_FROM) return holds();
  // Known by the text's digest: a MiB of text is kept as 45 characters.
  return judged.get(keyOf({ text, inSecret }), () => (holds() ? 'y' : 'n')) === 'y';
}

/** The worker judging long strings (the contracts' reader views, as the gateway's readers use them). */
const readerViews = new OffLoop(READER_VIEWS);

/**
 * Judges on a worker thread the long strings of these not judged yet, when they come to
 * READ_OFF_LOOP_FROM or more together (OffLoop.ahead; holdsSecret then finds them remembered): a MiB of
 * YAML held the deployer's event loop, and every command and probe it serves, about a second.
 */
async function judgeOffLoop(texts: TextIn[], keyOf: JudgedKeys): Promise<void> {
  const asked = new Map<string, TextIn>();
  let length = 0;
  for (const text of texts) {
    if (text.text.length < REMEMBERED_FROM) continue;
    const key = keyOf(text);
    if (asked.has(key) || judged.known(key) !== undefined) continue;
    asked.set(key, text);
    length += text.text.length;
  }
  const reads = [...asked.values()].map((text): ReaderText => ({ ...text, patch: false }));
  const views = await readerViews.ahead<string>('readerTextsShown', reads, length);
  if (!views) return;
  [...asked.keys()].forEach((key, i) => judged.get(key, () => (views[i] !== reads[i]!.text ? 'y' : 'n')));
}

/**
 * The manifest as the log records it: secret values as digests (leavesDigested). A Secret is recorded as the
 * API server stores it (`stringData` folded into base64 `data`), and so is every `[]byte`
 * value (base64 without the line breaks it may have been sent with, byte-fields.ts), so that
 * its digests are of the values the live object holds. Empty values stay (that one is unset is
 * no secret). Long strings are judged off the event loop first (judgeOffLoop).
 */
export async function withSecretsDigested(manifest: JsonMap, digest: Digest): Promise<JsonMap> {
  const stored = inStoredForm(manifest);
  const keyOf = judgedKeysOnce();
  await judgeOffLoop(textsIn(stored), keyOf);
  const digested = replaceSecrets(stored, {
    value: (secret) => leavesDigested(secret, digest),
    text: (text, inSecret) => (holdsSecret(text, inSecret, keyOf) ? digest(text) : text),
  });
  return isJsonMap(digested) ? digested : manifest;
}

/**
 * A secret value with each scalar in it a digest: a map or list under a secret-named key (a
 * `secretKeyRef`, a projected `serviceAccountToken`) keeps its shape, so drift compares it
 * field by field as any other (the API server adds defaults and orders keys its own way).
 */
function leavesDigested(value: unknown, digest: Digest): unknown {
  if (value === '' || value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => leavesDigested(item, digest));
  if (isJsonMap(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, leavesDigested(item, digest)]));
  return digest(value);
}
