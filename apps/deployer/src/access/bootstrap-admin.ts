import { BOOTSTRAP_PRINCIPAL, hashToken } from '@slipway/contracts';
import type { Pool } from 'pg';
import { issueToken, revokeToken } from './token-commands';

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

/**
 * Makes sure the operator's admin token (SLIPWAY_ADMIN_TOKEN) exists with every
 * capability in every namespace, and is the only one: a bootstrap token given before
 * (the value replaced, as after a leak) is revoked, as changing Argo CD's admin password
 * ends the old one. Tokens others were issued stay. Only hashes are written; the command
 * ids are derived from them, so every service start after the first is a no-op.
 */
export async function bootstrapAdmin(db: Pool, token: string, now = new Date().toISOString()): Promise<void> {
  const tokenHash = hashToken(sendableToken(token));
  await oneBootstrapAtATime(db, () => registerOnlyAdmin(db, tokenHash, now));
}

/**
 * Services starting together with different values (a rollout of a changed Secret: old and
 * new replicas) would each issue theirs, then each read both and revoke the other's, leaving
 * no admin at all. In turn, the one that runs last stands. The lock is a transaction's, on a
 * connection of its own, while the work runs on the pool: released whatever ends it, a crash
 * or a connection lost included.
 */
async function oneBootstrapAtATime(db: Pool, work: () => Promise<void>): Promise<void> {
  const client = await db.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('slipway:bootstrap-admin'))");
    await work();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    const ended = await client.query(failed ? 'ROLLBACK' : 'COMMIT').then(() => true, () => false);
    client.release(!ended);
  }
}

async function registerOnlyAdmin(db: Pool, tokenHash: string, now: string): Promise<void> {
  const commandId = `bootstrap-admin-${tokenHash.slice(0, 32)}`;
  const context = { commandId, correlationId: commandId, actor: 'slipway', issuedAt: now };
  const reply = await issueToken(db, context, { principal: BOOTSTRAP_PRINCIPAL, tokenHash, grants: [{ namespace: '*', capabilities: ['admin'] }] });
  if (!reply.ok) throw new Error(`the admin token was not registered: ${reply.error.message}`);
  // Revoked since it was first registered (its registration answers from its record): a
  // service still started with it (an old replica, a stale Secret) must not end the one
  // that replaced it.
  const { rows } = await db.query<{ token_hash: string }>('SELECT token_hash FROM tokens WHERE principal = $1', [BOOTSTRAP_PRINCIPAL]);
  if (!rows.some((row) => row.token_hash === tokenHash)) {
    throw new Error('the admin token was not registered: SLIPWAY_ADMIN_TOKEN was revoked, and a revoked token is never issued again; give it a new value');
  }
  for (const { token_hash: replaced } of rows.filter((row) => row.token_hash !== tokenHash)) {
    const revoked = await revokeToken(db, { ...context, commandId: `bootstrap-replaces-${replaced.slice(0, 32)}` }, { tokenHash: replaced });
    if (!revoked.ok) throw new Error(`could not revoke the admin token SLIPWAY_ADMIN_TOKEN replaced: ${revoked.error.message}`);
  }
}
