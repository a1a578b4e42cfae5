import { BOOTSTRAP_PRINCIPAL, hashToken, SERVICE_PRINCIPAL } from '@slipway/contracts';
import { sendableToken } from '@slipway/runtime';
import type { Pool } from 'pg';
import { issueToken, revokeToken } from './token-commands';

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
  const context = { commandId, correlationId: commandId, actor: SERVICE_PRINCIPAL, issuedAt: now };
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
