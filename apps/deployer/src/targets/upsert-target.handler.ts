import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { UpsertTarget, type CommandEnvelope, type UpsertedTarget } from '@slipway/contracts';
import { deterministicId, handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { targetCommand } from './target-commands';

@Controller()
export class UpsertTargetHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(UpsertTarget.subject)
  handle(@Payload() envelope: CommandEnvelope) {
    const { expectedVersion, ...definition } = parseCommand(UpsertTarget, envelope);
    const upsert = targetCommand(UpsertTarget.subject, definition, () => ({
      kind: 'upsert', definition, id: deterministicId(envelope.commandId, 'target'), now: envelope.issuedAt, expectedVersion,
    }));
    return handleCommand(this.db, commandContext(envelope), {
      ...upsert,
      // Whether this PUT made the target: the dialects answer 201 then, as HTTP and Kubernetes do.
      result: (after, events, before): UpsertedTarget => ({ ...upsert.result(after, events, before), created: !before.exists && after.exists }),
    });
  }
}
