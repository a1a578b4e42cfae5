import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { baseConfigStreamId, DomainError, UpdateBaseImage, type BaseDocument, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { named } from '../model/affected';
import { ChangePusher } from '../model/change-pusher';
import { configCommand, outcome, previewChange } from '../model/config-command';
import { configSeals } from '../sealing/config-seals';
import { baseConfigDecider } from './base-config.decider';
import { replaceImage } from './replace-image';

@Controller()
export class UpdateBaseImageHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, private readonly pushes: ChangePusher) {}

  @MessagePattern(UpdateBaseImage.subject)
  async handle(@Payload() envelope: CommandEnvelope) {
    const input = parseCommand(UpdateBaseImage, envelope);
    // The image changes in the object's current base: the release of its latest upload.
    const { rows } = await this.db.query<{ release_version: string }>(
      'SELECT release_version FROM base_configs WHERE object_name = $1 ORDER BY seq DESC LIMIT 1', [input.object],
    );
    if (!rows[0]) throw new DomainError('not-found', `object "${input.object}" has no base config`, 'object');
    const releaseVersion = rows[0].release_version;
    const seals = await configSeals.open(this.db);
    let changed: string[] = [];
    return this.pushes.after(envelope, handleCommand(this.db, commandContext(envelope), configCommand({
      subject: UpdateBaseImage.subject, streamId: baseConfigStreamId(releaseVersion), decider: baseConfigDecider, seals,
      command: async (tx) => {
        // The image is set in the stored config (secrets in place), and the result recorded sealed.
        const { rows: [base] } = await tx.query<BaseDocument>(
          'SELECT object_name AS "objectName", kind, api_version AS "apiVersion", config FROM base_configs WHERE object_name = $1 AND release_version = $2',
          [input.object, releaseVersion],
        );
        if (!base) throw new DomainError('not-found', `object "${input.object}" has no base config in release ${releaseVersion}`, 'object');
        const { config, container } = replaceImage(base, input.container, input.image);
        ({ changed } = await previewChange(tx, named([input.object]), (model) => {
          const current = model.bases.get(input.object);
          if (!current || current.releaseVersion !== releaseVersion) return model;
          return { ...model, bases: new Map(model.bases).set(input.object, { ...current, config }) };
        }));
        return {
          kind: 'update-image' as const, releaseVersion, objectName: input.object, container, config: seals.seal(config, base.kind === 'Secret', 'object'),
          image: input.image, comment: input.comment, by: envelope.actor.principal, now: envelope.issuedAt,
        };
      },
      result: () => outcome(changed),
    })));
  }
}
