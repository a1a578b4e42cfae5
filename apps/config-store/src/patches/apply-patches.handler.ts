import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, ERASED_AFTER_HANDLING, parseCommand } from '@slipway/bus';
import { ApplyPatches, PATCH_STREAM, PatchesApplied, type CommandEnvelope, type EventDataOf } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { ChangePusher } from '../model/change-pusher';
import { configCommand, NO_CHANGE, outcome } from '../model/config-command';
import { readPatches } from '../parsing/read-off-loop';
import { configSeals } from '../sealing/config-seals';
import { checkNewPatches } from './check-new-patches';
import { patchDecider } from './patch.decider';

@Controller()
export class ApplyPatchesHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, private readonly pushes: ChangePusher) {}

  @MessagePattern(ApplyPatches.subject, ERASED_AFTER_HANDLING)
  async handle(@Payload() envelope: CommandEnvelope) {
    const input = parseCommand(ApplyPatches, envelope);
    const patches = await readPatches(input.text);
    const seals = await configSeals.open(this.db);
    // A patch that names no kind may apply to a Secret, now or once its target reaches one:
    // its `data`/`stringData` are sealed as a Secret's.
    const texts = await seals.sealAll(patches.map((p) => ({ text: p.patch, inSecret: p.kind === 'Secret' || p.kind === null, field: 'patch' })));
    const sealed = patches.map((p, i) => ({ ...p, patch: texts[i]! }));
    // After the patches: a secret of theirs repeated in the description is sealed there too.
    const description = seals.sealNote(input.description, 'description');
    let preview = NO_CHANGE;
    return this.pushes.after(envelope, handleCommand(this.db, commandContext(envelope), configCommand({
      subject: ApplyPatches.subject, streamId: PATCH_STREAM, decider: patchDecider, seals,
      command: async (tx) => {
        preview = await checkNewPatches(tx, patches, envelope.issuedAt);
        return { kind: 'apply' as const, patches: sealed, description, by: envelope.actor.principal, now: envelope.issuedAt, misfit: preview.misfit };
      },
      result: (_after, events) => ({
        ...outcome(preview), versions: events.flatMap((e) => (e.data as EventDataOf<typeof PatchesApplied>).patches.map((p) => p.version)),
      }),
    })), input.push !== false);
  }
}
