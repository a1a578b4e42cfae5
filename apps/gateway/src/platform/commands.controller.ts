import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { GetCommandStatus } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator';
import { queryValue } from '../http/query-value';
import { send } from '../http/respond';

/** Where a 202 points: the command's final outcome once its service has handled it. */
@Controller()
export class CommandsController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Get('api/v1/commands/:id')
  async status(@Param('id') commandId: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.identify(req);
    send(req, res, 200, queryValue(await this.commands.query(GetCommandStatus, { commandId })));
  }
}
