/** What begins the secret of every token Slipway issues (`slw_` and 43 base64url characters). */
export const TOKEN_SECRET_PREFIX = 'slw_';

/**
 * A token's secret in text, under any name: pasted where it does not belong (a correlation
 * id, an annotation, a setting, a ConfigMap's value), it is a credential for whoever reads it.
 * Whatever follows it (`slw_…-prod` holds one all the same), and the run that follows it too,
 * which may be part of it: nothing tells where a token glued to more text ends.
 */
export const TOKEN_SECRET = new RegExp(`${TOKEN_SECRET_PREFIX}[A-Za-z0-9_-]{43,}`);

export const holdsTokenSecret = (text: string): boolean => TOKEN_SECRET.test(text);
