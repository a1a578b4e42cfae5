import { REDACTED } from './redacted';

/**
 * `scheme://user:password@host`: the password is everything between the user's `:` and the
 * last `@` of the authority (passwords are often left unescaped, `@` included), so it stops
 * at whitespace, quotes and the path. The user and host stay: they say where, not how.
 * A scheme starts where a run of scheme characters does, so long runs cost linear time.
 */
const URL_PASSWORD = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"'<>]*:)([^\s/?#"'<>]+)@/gi;

/** The text with the password of every URL in it replaced by `mask`. */
export function withoutUrlPasswords(text: string, mask: string = REDACTED): string {
  return text.replace(URL_PASSWORD, (_url, userAndColon: string) => `${userAndColon}${mask}@`);
}

/** Whether the text holds a URL with a password (a DSN, an SMTP server with its login). */
export function holdsUrlPassword(text: string): boolean {
  return withoutUrlPasswords(text, '') !== text;
}
