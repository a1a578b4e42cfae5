import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { GetCommandStatus, ReadEvents, type CommandStatus, type QueryEnvelope } from '@slipway/contracts';
import { findOutcome } from '@slipway/event-log';
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
  async commandStatus(@Payload() envelope: QueryEnvelope): Promise<CommandStatus> {
    const { commandId } = parseQuery(GetCommandStatus, envelope);
    const outcome = await findOutcome(this.db, commandId);
    if (!outcome) return { commandId, status: 'pending' };
    return { commandId, status: outcome.reply.ok ? 'succeeded' : 'failed', subject: outcome.subject, outcome: outcome.reply, completedAt: outcome.completedAt };
  }
}
