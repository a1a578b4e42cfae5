import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { UpsertTarget, type CommandEnvelope } from '@slipway/contracts';
import { deterministicId, handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { targetCommand } from './target-commands';

@Controller()
export class UpsertTargetHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(UpsertTarget.subject)
  handle(@Payload() envelope: CommandEnvelope) {
    const definition = parseCommand(UpsertTarget, envelope);
    return handleCommand(this.db, commandContext(envelope), targetCommand(UpsertTarget.subject, definition, () => ({
      kind: 'upsert', definition, id: deterministicId(envelope.commandId, 'target'), now: envelope.issuedAt,
    })));
  }
}
