import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { GetCommandStatus, ReadEvents, type CommandStatus, type QueryEnvelope } from '@slipway/contracts';
import { readCommandStatus } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { readEvents } from './read-events';

@Controller()
export class AuditHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(ReadEvents.subject)
  read(@Payload() envelope: QueryEnvelope) {
    return readEvents(this.db, parseQuery(ReadEvents, envelope));
  }

  @MessagePattern(GetCommandStatus.subject)
  commandStatus(@Payload() envelope: QueryEnvelope): Promise<CommandStatus> {
    return readCommandStatus(this.db, parseQuery(GetCommandStatus, envelope).commandId);
  }

}
