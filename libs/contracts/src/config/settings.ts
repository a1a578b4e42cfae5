import { z } from 'zod';
import { command, query } from '../define';
import { patternSpans } from '../redaction/text-patterns';
import { holdsUrlPassword, withoutUrlPasswords } from '../redaction/url-credentials';
import type { ApplyOutcome } from './base-configs';

/** The settings the document lists, with their defaults; POSTs must send every key back. */
export const DEFAULT_SETTINGS: Readonly<Record<string, string>> = {
  isAIHubEnvironment: 'false',
  isDocsEnabled: 'false',
  isDocsFromWordpress: 'true',
  isDogfoodEnvironment: 'false',
  isProdEnvironment: 'false',
  isSaasEnvironment: 'false',
  isUATEnvironment: 'false',
  obsAlertEmailAppPassword: '',
  obsAlertReceiverEmail: '',
  obsAlertSenderEmail: '',
  obsAlertSlackChannel: '',
  obsAlertSlackUrl: '',
  obsAlertSmtpServer: '',
};

/** The document's settings whose values are credentials (an app password, a Slack webhook URL). */
export const KNOWN_SECRET_SETTINGS: readonly string[] = ['obsAlertEmailAppPassword', 'obsAlertSlackUrl'];

/** Secret stems, anywhere in a name and in any case: `smtpPassword`, `API_TOKEN`, `clientSecret`, `apikey`. */
const SECRET_STEM = /passw(?:or)?d|passphrase|secret|token|credential|api[_-]?key|private[_-]?key|access[_-]?key|webhook|authorization|cookie/i;
/** Words that are secret only as whole words (`pwd`, `dsn`), and `key` after another word (`licenseKey`, `SIGNING_KEY`). */
const SECRET_WORDS = new Set(['pwd', 'dsn']);
const KEY_WORDS = new Set(['key', 'keys']);
/** A URL that is a notification hook carries its credential in the URL itself. */
const URL_WORDS = new Set(['url', 'uri']);
const HOOK_WORDS = new Set(['slack', 'hook', 'hooks', 'discord', 'teams', 'mattermost']);

/** `obsAlertSlackUrl` → obs alert slack url; `SMTP_APP_PWD` → smtp app pwd. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/**
 * Whether a setting's value is a secret, by its name alone (so a key stays secret or not
 * whatever its value): the known secret settings, any name containing a secret stem
 * (password, passphrase, secret, token, credential, api/private/access key, webhook,
 * authorization, cookie), the whole words `pwd` and `dsn`, the word `key` after another
 * word, and a URL named for a Slack/Teams/Discord/Mattermost hook. Secret values are kept
 * out of events (which record only that they changed) in the config-store's secret table;
 * a false positive costs nothing but that.
 */
export function isSecretSetting(name: string): boolean {
  if (KNOWN_SECRET_SETTINGS.includes(name) || SECRET_STEM.test(name)) return true;
  const words = wordsOf(name);
  return words.some((word, i) => SECRET_WORDS.has(word) || (i > 0 && KEY_WORDS.has(word)))
    || (words.some((word) => URL_WORDS.has(word)) && words.some((word) => HOOK_WORDS.has(word)));
}

/** How many settings the document may hold: each POST sends them all back, and they are never dropped. */
export const MAX_SETTINGS = 256;

const settingsMap = z.record(
  z.string().min(1).max(200).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'setting names are letters, digits and "_"'),
  z.string().max(10_000),
).refine((settings) => Object.keys(settings).length <= MAX_SETTINGS, `must hold at most ${MAX_SETTINGS} settings`);
const updateSettings = z.object({ settings: settingsMap }).strict();
export const UpdateSettings = command<typeof updateSettings, ApplyOutcome>('cmd.config.update-settings.v1', updateSettings);

const none = z.object({}).strict();
export const GetSettings = query<typeof none, Record<string, string>>('qry.config.get-settings.v1', none);

/** What GET /settings shows a caller without `admin` in place of a secret setting's value. */
export const SECRET_MASK = '********';

/**
 * Whether a setting's value is kept out of events (in the config-store's secret table): a
 * secret setting, and any setting whose value is a URL with a password in it
 * (`smtp://user:password@mail`, a database URL) or holds what the audit's redaction
 * takes for a secret (`Bearer …`, `password=…`), whatever the setting is called.
 */
export function isWithheldSetting(name: string, value: string): boolean {
  return isSecretSetting(name) || holdsUrlPassword(value) || patternSpans(value).length > 0;
}

/** Whether a value holds the mask readers see in place of a URL's password (not a password to store). */
export const holdsMaskedUrlPassword = (value: string): boolean => value.includes(`:${SECRET_MASK}@`);

/**
 * The settings as GET /settings shows a caller without `admin`: a secret setting that is
 * set shows the mask, a URL its user and host with the mask for its password, and a value
 * holding what looks like a secret the mask.
 */
export function settingsAsReadersSee(settings: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, asReadersSee(name, value)]));
}

function asReadersSee(name: string, value: string): string {
  if (isSecretSetting(name) && value !== '') return SECRET_MASK;
  // A URL's password masked in place (its user and host stay readable); anything else that
  // looks like a secret (a token in its query) masks the whole value.
  if (patternSpans(withoutUrlPasswords(value, '')).length > 0) return SECRET_MASK;
  return withoutUrlPasswords(value, SECRET_MASK);
}
