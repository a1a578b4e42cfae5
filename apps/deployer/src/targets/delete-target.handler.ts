import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { DeleteTarget, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { countReferences, lockTarget } from './target-references.projection';
import { carriedOutLate, targetCommand } from './target-commands';
import { unsealedReply } from './target-seals';

@Controller()
export class DeleteTargetHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(DeleteTarget.subject)
  handle(@Payload() envelope: CommandEnvelope) {
    const key = parseCommand(DeleteTarget, envelope);
    return unsealedReply(this.db, handleCommand(this.db, commandContext(envelope), targetCommand(DeleteTarget.subject, key, async (tx) => {
      await lockTarget(tx, key);
      return { kind: 'delete', key, now: envelope.issuedAt, late: carriedOutLate(envelope), references: await countReferences(tx, key) };
    })));
  }
}
