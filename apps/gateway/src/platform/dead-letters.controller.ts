import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { CommandBus, parsePayload } from '@slipway/bus';
import { ListDeadLetters } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator';
import { queryValue } from '../http/query-value';
import { send } from '../http/respond';

/**
 * What the bus gave up on — commands no handler took, poison, retries exhausted — for an
 * operator with admin on every namespace: the reason, the deliveries, and the command as
 * kept (secret values already replaced when it was filed).
 */
@Controller()
export class DeadLettersController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Get('api/v1/dead-letters')
  async list(@Query() query: Record<string, string>, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.require(req, undefined, 'admin');
    send(req, res, 200, queryValue(await this.commands.query(ListDeadLetters, parsePayload(ListDeadLetters, query))));
  }
}
