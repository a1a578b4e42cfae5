import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { CreateTarget, type CommandEnvelope } from '@slipway/contracts';
import { deterministicId, handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { carriedOutLate, targetCommand } from './target-commands';
import { ERASED_WHEN_SEALING, sealedDefinition, unsealedReply } from './target-seals';

@Controller()
export class CreateTargetHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  // Annotations may hold secrets: such a command leaves COMMANDS once handled, as a settings command does.
  @MessagePattern(CreateTarget.subject, ERASED_WHEN_SEALING)
  async handle(@Payload() envelope: CommandEnvelope) {
    const { definition, seals } = await sealedDefinition(this.db, parseCommand(CreateTarget, envelope));
    return unsealedReply(this.db, handleCommand(this.db, commandContext(envelope), targetCommand(CreateTarget.subject, definition, () => ({
      kind: 'create', definition, id: deterministicId(envelope.commandId, 'target'), now: envelope.issuedAt, late: carriedOutLate(envelope),
    }), seals)));
  }
}
