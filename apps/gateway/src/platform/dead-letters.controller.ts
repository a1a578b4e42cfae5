import { Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, parsePayload } from '@slipway/bus';
import { DiscardDeadLetter, ListDeadLetters, RedriveDeadLetter, replyValue } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator';
import { commandOptionsOf } from '../http/command-options';
import { outcomeOf } from '../http/outcome';
import { send } from '../http/respond';
import { queryOf } from '../http/query';
import { ChecksItsQuery } from '../http/query-parameters';
import { Needs } from '../http/route-marks';

/**
 * What the bus gave up on — commands no handler took, poison, retries exhausted — for an
 * operator with admin on every namespace: the reason, the deliveries, and the command as
 * kept (secret values already replaced when it was filed); and, once dealt with, discarded
 * or — a command kept whole, its cause mended — sent again: as a new command, or under its
 * own id when its success is recorded (the log keeps who did it and what it was).
 */
@Controller()
export class DeadLettersController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Get('api/v1/dead-letters')
  @ChecksItsQuery()
  @Needs('admin')
  async list(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const query = queryOf(req);
    send(req, res, 200, replyValue(await this.commands.query(ListDeadLetters, parsePayload(ListDeadLetters, query))));
  }

  @Delete('api/v1/dead-letters/:sequence')
  @Needs('admin')
  async discard(@Param('sequence') sequence: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const payload = parsePayload(DiscardDeadLetter, { sequence });
    send(req, res, 200, outcomeOf(await this.commands.send(DiscardDeadLetter, payload, { actor, ...commandOptionsOf(req, actor) })));
  }

  @Post('api/v1/dead-letters/:sequence/redrive')
  @Needs('admin')
  async redrive(@Param('sequence') sequence: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const payload = parsePayload(RedriveDeadLetter, { sequence });
    const redriven = outcomeOf(await this.commands.send(RedriveDeadLetter, payload, { actor, ...commandOptionsOf(req, actor) }));
    res.header('location', `/api/v1/commands/${encodeURIComponent(redriven.redrivenAs)}`);
    send(req, res, 200, redriven);
  }
}
