import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { CommandBus, parsePayload } from '@slipway/bus';
import { ReadEvents, replyValue, type ReadEventsQuery } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator';
import { send } from '../http/respond';
import { EventDoorbell } from './event-doorbell';
import { streamEvents } from './event-stream';

/** The audit log over HTTP: pages by position, and a live SSE stream from any position. */
@Controller()
export class EventsController {
  constructor(private readonly commands: CommandBus, private readonly doorbell: EventDoorbell, private readonly auth: Authenticator) {}

  @Get('api/v1/events')
  async list(@Query() query: Record<string, string>, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.require(req, undefined, 'read');
    const filter = parsePayload(ReadEvents, query);
    send(req, res, 200, replyValue(await this.commands.query(ReadEvents, filter)));
  }

  @Get('api/v1/events/stream')
  async stream(@Query() query: Record<string, string>, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.require(req, undefined, 'read');
    const lastEventId = req.headers['last-event-id'];
    const { from, ...rest } = query;
    const filter: ReadEventsQuery = parsePayload(ReadEvents, { ...rest, after: typeof lastEventId === 'string' ? lastEventId : from ?? '0' });
    await streamEvents(this.commands, this.doorbell, filter, req, res);
  }
}
