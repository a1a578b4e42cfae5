import { REDACTED } from './redacted';

/**
 * `scheme://user:password@host`: the user runs to its first `:` (it may be an e-mail
 * address, `@` and all), the password from there to the next `@`, whatever it holds but
 * whitespace and quotes (passwords are often left unescaped: `/`, `?`, `#`). That masks a
 * port and path before an `@` in a path too (`https://host:443/@scope`): for a secret,
 * showing too little is the safe side. The user and host stay: they say where, not how.
 * A scheme starts where a run of scheme characters does, and each run is read once; the
 * user and password are bounded (256 and 512 characters): unbounded, each `a://b:` of a
 * long line without an `@` scanned to its end, and a MiB of them took minutes.
 */
export const URL_PASSWORD_SHAPE = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/?#"'<>]{0,256}:)([^\s"'<>@]{1,512})@/gi;

/** The text with the password of every URL in it replaced by `mask`. */
export function withoutUrlPasswords(text: string, mask: string = REDACTED): string {
  return text.replace(URL_PASSWORD_SHAPE, (_url, userAndColon: string) => `${userAndColon}${mask}@`);
}

/** Whether the text holds a URL with a password (a DSN, an SMTP server with its login). */
export function holdsUrlPassword(text: string): boolean {
  return withoutUrlPasswords(text, '') !== text;
}
