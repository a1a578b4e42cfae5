/** The document's settings whose values are credentials (an app password, a Slack webhook URL). */
export const KNOWN_SECRET_SETTINGS: readonly string[] = ['obsAlertEmailAppPassword', 'obsAlertSlackUrl'];

/**
 * Secret stems, anywhere in a name and in any case: `smtpPassword`, `API_TOKEN`, `clientSecret`,
 * `apikey`, `dbpwd`, `sentrydsn` — the words the text patterns take anywhere in a name
 * (text-patterns.ts), so that a value sealed in a config's text is hidden, sealed and digested
 * by its key as well (a `dbpwd` annotation was sealed in a patch and kept in clear in the
 * manifest a push recorded).
 */
const SECRET_STEM = /passw(?:or)?d|passphrase|pwd|dsn|secret|token|credential|(?:api|private|access|signing|encryption)[_-]?key|webhook|authorization|cookie/i;
/**
 * Words that are secret only as whole words (`SMTP_PASS`, `ldapBindPw`, a personal access
 * token's `GITHUB_PAT`: not `PATH` or `patch`), and `key` after another word (`licenseKey`,
 * `SIGNING_KEY`).
 */
const SECRET_WORDS = new Set(['pass', 'pw', 'pat']);
/** Directives of Redis's configuration whose value is its password: no stem or word above spells them. */
const SECRET_DIRECTIVES = new Set(['requirepass', 'masterauth']);
const KEY_WORDS = new Set(['key', 'keys']);
/** A URL that is a notification hook carries its credential in the URL itself. */
const URL_WORDS = new Set(['url', 'uri']);
const HOOK_WORDS = new Set(['slack', 'hook', 'hooks', 'discord', 'teams', 'mattermost']);

/**
 * What every name found secret below holds somewhere (the stems, `pass`, `pw`, `key`, a URL's
 * `url`/`uri`): a name without any is none, told without splitting it into words (an XML file's
 * every element name is asked; the split took most of reading one).
 */
const MAYBE_SECRET = /pass|pw|pat|dsn|secret|token|credential|key|webhook|authorization|cookie|ur[li]|masterauth/i;

/** `obsAlertSlackUrl` → obs alert slack url; `SMTP_APP_PWD` → smtp app pwd. */
function wordsOf(name: string): string[] {
  // An upper-case run before a word splits by a lookahead: `([A-Z]+)([A-Z][a-z])` took time
  // with the square of a long run's length (each start retried the run).
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/**
 * Whether a setting's value is a secret, by its name alone (so a key stays secret or not
 * whatever its value): the known secret settings, any name containing a secret stem
 * (password, passphrase, secret, token, credential, api/private/access/signing/encryption
 * key, webhook, authorization, cookie, pwd, dsn), the whole words `pass`, `pw` and `pat`,
 * Redis's `requirepass` and `masterauth`, the word `key` after another
 * word, and a URL named for a Slack/Teams/Discord/Mattermost hook. Secret values are kept
 * out of events (which record only that they changed) in the config-store's secret table;
 * a false positive costs nothing but that.
 */
export function isSecretSetting(name: string): boolean {
  // Lower-cased as wordsOf reads it (a Kelvin sign is a `k` there).
  if (!MAYBE_SECRET.test(name.toLowerCase())) return false;
  if (KNOWN_SECRET_SETTINGS.includes(name) || SECRET_STEM.test(name) || SECRET_DIRECTIVES.has(name.toLowerCase())) return true;
  const words = wordsOf(name);
  return words.some((word, i) => SECRET_WORDS.has(word) || (i > 0 && KEY_WORDS.has(word)))
    || (words.some((word) => URL_WORDS.has(word)) && words.some((word) => HOOK_WORDS.has(word)));
}

/**
 * The secret stems a name in text spells (`DB_PASSWORD`, `api.key`, `--db-password`): those
 * isSecretSetting knows, written as a regex's source for the text patterns (text-patterns.ts).
 */
export const SECRET_WORD = String.raw`(?:secret|passw(?:or)?d|passphrase|pwd|token|credential|webhook|dsn|(?:api|private|access|signing|secret|encryption)[-_.]?key)`;
const HOLDS_SECRET_WORD = new RegExp(SECRET_WORD, 'i');
/** Whether a name found in text (the text patterns' names, a command-line flag's) is a secret's. */
export const isSecretName = (name: string): boolean => HOLDS_SECRET_WORD.test(name) || isSecretSetting(name);

/** A command-line flag whose value may be the next argument: `-` or `--`, a name, no `=` (`--token=x` is a pair). */
const FLAG = /^--?[\w.-]+$/;
/**
 * Whether an argument is a flag naming a secret (`--db-password`, `-api-key`), whose value is
 * then the argument after it unless that is a flag itself (`--password-stdin --verbose`):
 * `args: ["--token", "abc"]`, as Kubernetes manifests write it. The text patterns read
 * `--token abc` by the same names (isSecretName).
 */
export const isSecretFlag = (argument: unknown): boolean => typeof argument === 'string' && FLAG.test(argument) && isSecretName(argument);

/** Whether an argument is a flag, or a negative number: the argument after a secret flag is its value only if not. */
export const startsFlag = (argument: unknown): boolean => (typeof argument === 'string' || typeof argument === 'number') && String(argument).startsWith('-');
