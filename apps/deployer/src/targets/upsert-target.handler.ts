import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { UpsertTarget, type CommandEnvelope, type UpsertedTarget } from '@slipway/contracts';
import { deterministicId, handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { carriedOutLate, targetCommand } from './target-commands';
import { ERASED_WHEN_SEALING, sealedDefinition, unsealedReply } from './target-seals';

@Controller()
export class UpsertTargetHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  // Annotations may hold secrets: such a command leaves COMMANDS once handled, as a settings command does.
  @MessagePattern(UpsertTarget.subject, ERASED_WHEN_SEALING)
  async handle(@Payload() envelope: CommandEnvelope) {
    const { expectedVersion, ...sent } = parseCommand(UpsertTarget, envelope);
    const { definition, seals } = await sealedDefinition(this.db, sent);
    const upsert = targetCommand(UpsertTarget.subject, definition, () => ({
      kind: 'upsert', definition, id: deterministicId(envelope.commandId, 'target'), now: envelope.issuedAt, late: carriedOutLate(envelope), expectedVersion,
    }), seals);
    return unsealedReply(this.db, handleCommand(this.db, commandContext(envelope), {
      ...upsert,
      // Whether this PUT made the target: the dialects answer 201 then, as HTTP and Kubernetes do.
      result: (after, events, before): UpsertedTarget => ({ ...upsert.result(after, events, before), created: !before.exists && after.exists }),
    }));
  }
}
