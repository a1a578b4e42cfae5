import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand, parseQuery } from '@slipway/bus';
import { Authenticate, DomainError, IssueToken, ListTokens, RevokeToken, WithdrawToken, type CommandEnvelope, type Principal, type QueryEnvelope, type TokenView } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { issueToken, revokeToken, withdrawToken } from './token-commands';

@Controller()
export class AccessHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(IssueToken.subject)
  issue(@Payload() envelope: CommandEnvelope) {
    return issueToken(this.db, commandContext(envelope), parseCommand(IssueToken, envelope));
  }

  @MessagePattern(RevokeToken.subject)
  revoke(@Payload() envelope: CommandEnvelope) {
    return revokeToken(this.db, commandContext(envelope), parseCommand(RevokeToken, envelope));
  }

  @MessagePattern(WithdrawToken.subject)
  withdraw(@Payload() envelope: CommandEnvelope) {
    return withdrawToken(this.db, commandContext(envelope), parseCommand(WithdrawToken, envelope));
  }

  @MessagePattern(ListTokens.subject)
  async list(@Payload() envelope: QueryEnvelope): Promise<TokenView[]> {
    parseQuery(ListTokens, envelope);
    const { rows } = await this.db.query<{ id: string; principal: string; grants: TokenView['grants']; issued_at: Date }>(
      'SELECT token_hash AS id, principal, grants, issued_at FROM tokens ORDER BY issued_at, token_hash',
    );
    return rows.map((r) => ({ id: r.id, principal: r.principal, grants: r.grants, issuedAt: r.issued_at.toISOString() }));
  }

  @MessagePattern(Authenticate.subject)
  async authenticate(@Payload() envelope: QueryEnvelope): Promise<Principal> {
    const { tokenHash } = parseQuery(Authenticate, envelope);
    const { rows } = await this.db.query<Principal>('SELECT principal, grants FROM tokens WHERE token_hash = $1', [tokenHash]);
    if (!rows[0]) throw new DomainError('unauthorized', 'the token is not valid');
    return rows[0];
  }
}
