import { IssueToken, tokenStreamId, type PayloadOf, type Principal, type Reply } from '@slipway/contracts';
import { handleCommand, type CommandContext } from '@slipway/event-log';
import type { Pool } from 'pg';
import { tokenDecider } from './token.decider';
import { tokensProjection } from './tokens.projection';

export function issueToken(db: Pool, context: CommandContext, payload: PayloadOf<typeof IssueToken>): Promise<Reply<Principal>> {
  return handleCommand(db, context, {
    subject: IssueToken.subject,
    streamId: tokenStreamId(payload.tokenHash),
    decider: tokenDecider,
    command: () => ({ ...payload, now: context.issuedAt }),
    projections: [tokensProjection],
    result: () => ({ principal: payload.principal, grants: payload.grants }),
  });
}
