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

/** A run of the characters tokens are made of (base64 and base64url), long enough to be one. */
const SECRET_RUN = /[A-Za-z0-9_+/=-]{32,}/g;
/** A bootstrap admin token is at least 32 characters (bootstrap-admin.ts); an issued one's body 43. */
const SHORTEST_SECRET = 32;
const ISSUED_BODY = 43;

/**
 * A principal's name is in the audit log for every reader: one holding the secret of a live
 * token — the bootstrap admin's (any 32 characters or more of a run of token characters), or
 * an issued one's with its prefix left off (43) — is refused, by the hashes the token store
 * keeps (the contract refuses a whole issued secret by its shape already). A name is at most
 * 200 characters: some fourteen thousand hashes at most.
 */
async function refuseLiveSecretIn(db: Pool, principal: string): Promise<void> {
  const candidates = new Set<string>();
  for (const [run] of principal.matchAll(SECRET_RUN)) {
    for (let from = 0; from + SHORTEST_SECRET <= run.length; from++) {
      for (let to = from + SHORTEST_SECRET; to <= run.length; to++) candidates.add(run.slice(from, to));
      if (from + ISSUED_BODY <= run.length) candidates.add(`${TOKEN_SECRET_PREFIX}${run.slice(from, from + ISSUED_BODY)}`);
    }
  }
  if (candidates.size === 0) return;
  const { rows } = await db.query('SELECT 1 FROM tokens WHERE token_hash = ANY($1::text[]) LIMIT 1', [[...candidates].map(hashToken)]);
  if (rows.length > 0) throw new DomainError('invalid', "principal must not hold a token's secret: a principal's name is shown in the audit log", 'principal');
}
