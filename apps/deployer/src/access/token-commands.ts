import { IssueToken, RevokeToken, tokenStreamId, WithdrawToken, type PayloadOf, type Principal, type Reply, type TokenView } from '@slipway/contracts';
import { handleCommand, type CommandContext } from '@slipway/event-log';
import type { Pool } from 'pg';
import { tokenDecider } from './token.decider';
import { tokensProjection } from './tokens.projection';

export function issueToken(db: Pool, context: CommandContext, payload: PayloadOf<typeof IssueToken>): Promise<Reply<Principal>> {
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
