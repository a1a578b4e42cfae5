import { REDACTED } from './redacted';

/** What marks a secret value kept beside the log (libs/sealing): the log holds a token in its place. */
export const SEALED_TOKEN_PREFIX = 'slipway-sealed:';

/** A token as text holds it, with the quotes around it when it has them (a re-serialized document may drop them); its id is group 2. */
export const SEALED_TOKEN = /(["']?)slipway-sealed:([A-Za-z0-9_-]{43})\1/g;

/**
 * Text with its tokens shown as `[redacted]`, as the value itself would be: a token tells
 * nothing of its value, but the same value always seals to the same token, and readers of
 * the audit log need not learn which secrets are equal.
 */
export function withoutSealedTokens(text: string): string {
  return text.includes(SEALED_TOKEN_PREFIX) ? text.replace(SEALED_TOKEN, REDACTED) : text;
}
