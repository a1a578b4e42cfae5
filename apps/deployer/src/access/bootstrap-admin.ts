import { BOOTSTRAP_PRINCIPAL, hashToken } from '@slipway/contracts';
import type { Pool } from 'pg';
import { issueToken } from './token-commands';

/**
 * The token as a client can send it: the gateway reads a header's token without the
 * whitespace around it, and a header carries visible ASCII only. A value read with a
 * trailing newline (a file, a Secret made `--from-file`) is taken without it; one no
 * client could send is refused at start-up, not registered as an admin nobody can be.
 */
export function sendableToken(token: string): string {
  const trimmed = token.trim();
  if (!/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new Error('SLIPWAY_ADMIN_TOKEN must be printable ASCII without spaces (a client sends it in a header); its value is not shown');
  }
  return trimmed;
}

/**
 * Makes sure the operator's admin token (SLIPWAY_ADMIN_TOKEN) exists with every
 * capability in every namespace. Only its hash is written; the command id is derived
 * from it, so every service start after the first is a no-op.
 */
export async function bootstrapAdmin(db: Pool, token: string, now = new Date().toISOString()): Promise<void> {
  const tokenHash = hashToken(sendableToken(token));
  const commandId = `bootstrap-admin-${tokenHash.slice(0, 32)}`;
  const reply = await issueToken(db, { commandId, correlationId: commandId, actor: 'slipway', issuedAt: now }, {
    principal: BOOTSTRAP_PRINCIPAL, tokenHash, grants: [{ namespace: '*', capabilities: ['admin'] }],
  });
  if (!reply.ok) throw new Error(`could not register the admin token: ${reply.error.message}`);
}
