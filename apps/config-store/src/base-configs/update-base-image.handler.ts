import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { baseConfigStreamId, DomainError, quoted, UpdateBaseImage, type BaseDocument, type CommandEnvelope, type PayloadOf } from '@slipway/contracts';
import { handleCommand, type Sql } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { named } from '../model/affected';
import { ChangePusher } from '../model/change-pusher';
import { configCommand, NO_CHANGE, outcome, previewChange } from '../model/config-command';
import { configSeals } from '../sealing/config-seals';
import { baseConfigDecider } from './base-config.decider';
import { replaceImage } from './replace-image';

@Controller()
export class UpdateBaseImageHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, private readonly pushes: ChangePusher) {}

  @MessagePattern(UpdateBaseImage.subject)
  async handle(@Payload() envelope: CommandEnvelope) {
    const input = parseCommand(UpdateBaseImage, envelope);
    // The image changes in the object's current base: the release of its latest upload, read
    // again under the config-store's lock. An upload of a new release committed in between
    // would otherwise take the change into the old one, answered 200 with nothing changed.
    for (let attempt = 1; ; attempt++) {
      const releaseVersion = await currentRelease(this.db, input.object);
      try {
        return await this.updateIn(envelope, input, releaseVersion);
      } catch (error) {
        if (!(error instanceof ReleaseMoved)) throw error;
        if (attempt === 3) throw new DomainError('conflict', `object "${input.object}" kept getting new releases; retry the request`, 'object', false);
      }
    }
  }

  private async updateIn(envelope: CommandEnvelope, input: PayloadOf<typeof UpdateBaseImage>, releaseVersion: string) {
    const seals = await configSeals.open(this.db);
    // The config as it will almost surely be recorded, made and its secrets worked out before
    // the writers' turn is taken: on the worker, which may be busy with an upload that every
    // write would otherwise wait out. Under the lock, the same stored text takes it as made.
    const ahead = await storedBase(this.db, input.object, releaseVersion)
      .then((base) => ({ base, ...replaceImage(base, input.container, input.image) })).catch(() => undefined);
    if (ahead) await seals.prepare([{ text: ahead.config, inSecret: ahead.base.kind === 'Secret' }]);
    let preview = NO_CHANGE;
    return this.pushes.after(envelope, handleCommand(this.db, commandContext(envelope), configCommand({
      subject: UpdateBaseImage.subject, streamId: baseConfigStreamId(releaseVersion), decider: baseConfigDecider, seals,
      command: async (tx) => {
        if ((await currentRelease(tx, input.object)) !== releaseVersion) throw new ReleaseMoved();
        // The image is set in the stored config (secrets in place), and the result recorded sealed.
        const base = await storedBase(tx, input.object, releaseVersion);
        const same = ahead && ahead.base.config === base.config && ahead.base.kind === base.kind;
        const { config, container } = same ? ahead : replaceImage(base, input.container, input.image);
        preview = await previewChange(tx, named([input.object]), (model) => {
          const current = model.bases.get(input.object);
          if (!current || current.releaseVersion !== releaseVersion) return model;
          return { ...model, bases: new Map(model.bases).set(input.object, { ...current, config }) };
        });
        return {
          kind: 'update-image' as const, releaseVersion, objectName: input.object, container, config: seals.seal(config, base.kind === 'Secret', 'object'),
          image: input.image, comment: input.comment, by: envelope.actor.principal, now: envelope.issuedAt,
        };
      },
      result: () => outcome(preview),
    })));
  }
}

/** The object's stored config in the release, secrets in place. */
async function storedBase(sql: Sql, object: string, releaseVersion: string): Promise<BaseDocument> {
  const { rows: [base] } = await sql.query<BaseDocument>(
    'SELECT object_name AS "objectName", kind, api_version AS "apiVersion", config FROM base_configs WHERE object_name = $1 AND release_version = $2',
    [object, releaseVersion],
  );
  if (!base) throw new DomainError('not-found', `object ${quoted(object)} has no base config in release ${quoted(releaseVersion)}`, 'object');
  return base;
}

/** The release of the object's latest upload: its current base. */
async function currentRelease(sql: Sql, object: string): Promise<string> {
  const { rows } = await sql.query<{ release_version: string }>('SELECT release_version FROM base_configs WHERE object_name = $1 ORDER BY seq DESC LIMIT 1', [object]);
  if (!rows[0]) throw new DomainError('not-found', `object ${quoted(object)} has no base config`, 'object');
  return rows[0].release_version;
}

/** A new release of the object was uploaded between reading its current one and taking the lock. */
class ReleaseMoved extends Error {}
