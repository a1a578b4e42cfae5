import { z } from 'zod';
import { command, query } from '../define';
import { patternSpans } from '../redaction/text-patterns';
import { holdsUrlPassword, withoutUrlPasswords } from '../redaction/url-credentials';
import { LEAST_COPIED, repeatablePartsOf } from '../redaction/secret-copies';
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

import { isSecretSetting } from '../redaction/secret-names';

export { isSecretSetting, KNOWN_SECRET_SETTINGS } from '../redaction/secret-names';

/** How many settings the document may hold: each POST sends them all back, and they are never dropped. */
export const MAX_SETTINGS = 256;

const settingsMap = z.record(
  z.string().min(1).max(200).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'setting names are letters, digits and "_"'),
  z.string().max(10_000),
).refine((settings) => Object.keys(settings).length <= MAX_SETTINGS, `must hold at most ${MAX_SETTINGS} settings`);
const updateSettings = z.object({ settings: settingsMap }).strict();
export const UpdateSettings = command<typeof updateSettings, ApplyOutcome>('cmd.config.update-settings.v1', updateSettings);

const none = z.object({}).strict();
export const GetSettings = query<typeof none, Record<string, string>>('qry.config.get-settings.v1', none, { hedged: true });

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

/** A value any setting may hold by chance (a flag, a number): not taken for a copy of a secret. */
const COMMON_VALUE = /^(?:true|false|yes|no|on|off|null|none|nil|default|auto|enabled|disabled|[-+]?\d+(?:\.\d+)?)$/i;

/**
 * The first setting recorded and shown in the clear whose value is that of a withheld one
 * (or of the password of a URL one holds), and that withheld setting's name: what a YAML
 * body's alias of a secret setting makes (`password: &p …`, `sender: *p`), which the
 * config-store receives as a value like any other. Values shorter than a copy is looked for
 * in text (LEAST_COPIED), flags and numbers are taken as chance.
 */
export function secretSettingCopied(settings: Readonly<Record<string, string>>): { name: string; secret: string } | undefined {
  const secrets = new Map<string, string>();
  for (const [name, value] of Object.entries(settings)) {
    if (!isWithheldSetting(name, value)) continue;
    for (const part of repeatablePartsOf(value)) if (part.length >= LEAST_COPIED && !COMMON_VALUE.test(part) && !secrets.has(part)) secrets.set(part, name);
  }
  for (const [name, value] of Object.entries(settings)) {
    const secret = secrets.get(value);
    if (secret !== undefined && !isWithheldSetting(name, value)) return { name, secret };
  }
  return undefined;
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
