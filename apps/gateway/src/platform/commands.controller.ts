import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { DomainError, GetCommandStatus, replyValue } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator';
import { send } from '../http/respond';

/** Where a 202 points: the command's final outcome once its service has handled it. */
@Controller()
export class CommandsController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Get('api/v1/commands/:id')
  async status(@Param('id') commandId: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.identify(req);
    const status = replyValue(await this.commands.query(GetCommandStatus, { commandId }));
    if (status.status === 'unknown') {
      throw new DomainError('not-found', `no command "${commandId}" is known: it has no outcome and was never answered with 202 (status URLs come from 202 answers)`);
    }
    // The fingerprint is for senders of the same id over the bus (CommandBus), not a client's to read.
    const { fingerprint: _, ...shown } = status;
    send(req, res, 200, shown);
  }
}
