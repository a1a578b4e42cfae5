/**
 * The token as a client can send it: the gateway reads a header's token without the
 * whitespace around it, and a header carries visible ASCII only. A value read with a
 * trailing newline (a file, a Secret made `--from-file`) is taken without it; one no
 * client could send is refused at start-up, not registered as an admin nobody can be.
 */
const MIN_ADMIN_TOKEN_LENGTH = 32;
/** Random hex of 32 characters holds about 14 different ones; 10 is refused once in millions. */
const MIN_DISTINCT_CHARACTERS = 10;

export function sendableToken(token: string): string {
  const trimmed = token.trim();
  if (!/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new Error('SLIPWAY_ADMIN_TOKEN must be printable ASCII without spaces (a client sends it in a header); its value is not shown');
  }
  // Its SHA-256 is its id, which readers of the audit log see (its token events' stream): a
  // short or chosen one could be guessed from it offline, as a generated one (43) cannot.
  // Its randomness cannot be measured, but one made of a few characters repeated is none.
  if (trimmed.length < MIN_ADMIN_TOKEN_LENGTH || new Set(trimmed).size < MIN_DISTINCT_CHARACTERS) {
    throw new Error(`SLIPWAY_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters of a random value, at least ${MIN_DISTINCT_CHARACTERS} of them different (readers of the audit log see its SHA-256, its id); its value is not shown`);
  }
  return trimmed;
}
