import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand, parseQuery } from '@slipway/bus';
import { Authenticate, DomainError, IssueToken, type CommandEnvelope, type Principal, type QueryEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { issueToken } from './issue-token';

@Controller()
export class AccessHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(IssueToken.subject)
  issue(@Payload() envelope: CommandEnvelope) {
    return issueToken(this.db, commandContext(envelope), parseCommand(IssueToken, envelope));
  }

  @MessagePattern(Authenticate.subject)
  async authenticate(@Payload() envelope: QueryEnvelope): Promise<Principal> {
    const { tokenHash } = parseQuery(Authenticate, envelope);
    const { rows } = await this.db.query<Principal>('SELECT principal, grants FROM tokens WHERE token_hash = $1', [tokenHash]);
    if (!rows[0]) throw new DomainError('unauthorized', 'the token is not valid');
    return rows[0];
  }
}
