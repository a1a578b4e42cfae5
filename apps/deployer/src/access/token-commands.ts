import { DomainError, hashToken, IssueToken, RevokeToken, TOKEN_SECRET_PREFIX, tokenStreamId, WithdrawToken, type PayloadOf, type Principal, type Reply, type TokenView } from '@slipway/contracts';
import { handleCommand, type CommandContext } from '@slipway/event-log';
import type { Pool } from 'pg';
import { tokenDecider } from './token.decider';
import { tokensProjection } from './tokens.projection';

export async function issueToken(db: Pool, context: CommandContext, payload: PayloadOf<typeof IssueToken>): Promise<Reply<Principal>> {
  await refuseLiveSecretIn(db, payload.principal);
  return handleCommand(db, context, {
    subject: IssueToken.subject,
    streamId: tokenStreamId(payload.tokenHash),
    decider: tokenDecider,
    command: () => ({ kind: 'issue' as const, ...payload, now: context.issuedAt }),
    projections: [tokensProjection],
    result: () => ({ principal: payload.principal, grants: payload.grants }),
  });
}

export function revokeToken(db: Pool, context: CommandContext, payload: PayloadOf<typeof RevokeToken>): Promise<Reply<TokenView>> {
  return handleCommand(db, context, {
    subject: RevokeToken.subject,
    streamId: tokenStreamId(payload.tokenHash),
    decider: tokenDecider,
    command: () => ({ kind: 'revoke' as const, tokenHash: payload.tokenHash, now: context.issuedAt }),
    projections: [tokensProjection],
    // The token as it was until now (the decider refuses one never issued).
    result: (_after, _events, { issued }) => ({ id: payload.tokenHash, principal: issued!.principal, grants: issued!.grants, issuedAt: issued!.issuedAt }),
  });
}

export function withdrawToken(db: Pool, context: CommandContext, payload: PayloadOf<typeof WithdrawToken>): Promise<Reply<{ wasIssued: boolean }>> {
  return handleCommand(db, context, {
    subject: WithdrawToken.subject,
    streamId: tokenStreamId(payload.tokenHash),
    decider: tokenDecider,
    command: () => ({ kind: 'withdraw' as const, tokenHash: payload.tokenHash, now: context.issuedAt }),
    projections: [tokensProjection],
    result: (_after, _events, { issued }) => ({ wasIssued: issued !== undefined }),
  });
}

/** What separates the words of a principal's name, where a secret pasted in it would begin or end. */
const WORD_BREAK = /[\s,;:'"`()<>[\]{}=]+/;

/**
 * A principal's name is in the audit log for every reader: one holding the secret of a live
 * token — the bootstrap admin's included, which has no prefix, or an issued one's with its
 * prefix left off — is refused, by the hashes the token store keeps (the contract refuses a
 * whole issued secret by its shape already).
 */
async function refuseLiveSecretIn(db: Pool, principal: string): Promise<void> {
  const words = principal.split(WORD_BREAK).filter((word) => word.length >= 16);
  if (words.length === 0) return;
  const hashes = words.flatMap((word) => [hashToken(word), hashToken(`${TOKEN_SECRET_PREFIX}${word}`)]);
  const { rows } = await db.query('SELECT 1 FROM tokens WHERE token_hash = ANY($1::text[]) LIMIT 1', [hashes]);
  if (rows.length > 0) throw new DomainError('invalid', "principal must not hold a token's secret: a principal's name is shown in the audit log", 'principal');
}
