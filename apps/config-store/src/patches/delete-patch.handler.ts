import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { DeletePatch, PATCH_STREAM, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { configCommand, NO_CHANGE, outcome, previewChange } from '../model/config-command';
import { ChangePusher } from '../model/change-pusher';
import { reachedByPatches } from '../model/objects-reached';
import { patchDecider } from './patch.decider';

@Controller()
export class DeletePatchHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, private readonly pushes: ChangePusher) {}

  @MessagePattern(DeletePatch.subject)
  handle(@Payload() envelope: CommandEnvelope) {
    const { version } = parseCommand(DeletePatch, envelope);
    let preview = NO_CHANGE;
    return this.pushes.after(envelope, handleCommand(this.db, commandContext(envelope), configCommand({
      subject: DeletePatch.subject, streamId: PATCH_STREAM, decider: patchDecider,
      command: async (tx) => {
        preview = await previewChange(tx, await reachedByPatches(tx, [version]), (model) => ({ ...model, patches: model.patches.filter((p) => p.version !== version) }));
        return { kind: 'delete' as const, version, now: envelope.issuedAt };
      },
      result: () => outcome(preview),
    })));
  }
}
