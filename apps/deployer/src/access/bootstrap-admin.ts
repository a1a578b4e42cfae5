import { hashToken } from '@slipway/contracts';
import type { Pool } from 'pg';
import { issueToken } from './token-commands';


/**
 * Makes sure the operator's admin token (SLIPWAY_ADMIN_TOKEN) exists with every
 * capability in every namespace. Only its hash is written; the command id is derived
 * from it, so every service start after the first is a no-op.
 */
export async function bootstrapAdmin(db: Pool, token: string, now = new Date().toISOString()): Promise<void> {
  const tokenHash = hashToken(token);
  const commandId = `bootstrap-admin-${tokenHash.slice(0, 32)}`;
  const reply = await issueToken(db, { commandId, correlationId: commandId, actor: 'slipway', issuedAt: now }, {
    principal: 'admin', tokenHash, grants: [{ namespace: '*', capabilities: ['admin'] }],
  });
  if (!reply.ok) throw new Error(`could not register the admin token: ${reply.error.message}`);
}
