/** What begins the secret of every token Slipway issues (`slw_` and 43 base64url characters). */
export const TOKEN_SECRET_PREFIX = 'slw_';

/**
 * A token's secret in text, under any name: pasted where it does not belong (a correlation
 * id, an annotation, a setting, a ConfigMap's value), it is a credential for whoever reads it.
 * Its 43 random base64url characters hold upper and lower case letters and a digit (the
 * gateway issues none that do not: newToken); a name that merely starts with `slw_` (an image,
 * a bot's name in snake case) does not, and is no secret. Whatever follows them goes with them: nothing tells
 * where a token glued to more text (`slw_…-prod`) ends.
 */
const RANDOM_43 = ['A-Z', 'a-z', '0-9'].map((range) => `(?=[A-Za-z0-9_-]{0,42}[${range}])`).join('');
export const TOKEN_SECRET = new RegExp(`${TOKEN_SECRET_PREFIX}${RANDOM_43}[A-Za-z0-9_-]{43,}`);

export const holdsTokenSecret = (text: string): boolean => TOKEN_SECRET.test(text);

/**
 * A new token's secret: `slw_` and 43 random base64url characters (32 bytes), drawn again in
 * the one case in about 1,500 that has no digit (or, far rarer, no letter of a case), so that
 * TOKEN_SECRET finds every token issued, wherever it is pasted.
 */
export function newToken(randomBytes: (size: number) => Buffer): string {
  for (;;) {
    const token = `${TOKEN_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    if (holdsTokenSecret(token)) return token;
  }
}
