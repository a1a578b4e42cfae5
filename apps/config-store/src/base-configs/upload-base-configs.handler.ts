import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand } from '@slipway/bus';
import { baseConfigStreamId, UploadBaseConfigs, type CommandEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { named } from '../model/affected';
import { configCommand, outcome, previewChange } from '../model/config-command';
import { parseBaseConfigs } from '../parsing/parse-base-configs';
import { baseConfigDecider } from './base-config.decider';

@Controller()
export class UploadBaseConfigsHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(UploadBaseConfigs.subject)
  handle(@Payload() envelope: CommandEnvelope) {
    const { releaseVersion, text } = parseCommand(UploadBaseConfigs, envelope);
    const documents = parseBaseConfigs(text);
    let changed: string[] = [];
    return handleCommand(this.db, commandContext(envelope), configCommand({
      subject: UploadBaseConfigs.subject, streamId: baseConfigStreamId(releaseVersion), decider: baseConfigDecider,
      command: async (tx) => {
        ({ changed } = await previewChange(tx, named(documents.map((d) => d.objectName)), (model) => {
          const bases = new Map(model.bases);
          for (const d of documents) bases.set(d.objectName, { ...d, releaseVersion });
          const labels = new Map(model.labels);
          for (const d of documents) labels.set(d.objectName, new Set([...(labels.get(d.objectName) ?? []), d.kind]));
          return { ...model, bases, labels };
        }));
        return { kind: 'upload' as const, releaseVersion, documents, by: envelope.actor.principal, now: envelope.issuedAt };
      },
      result: () => outcome(changed),
    }));
  }
}
