import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, ERASED_AFTER_HANDLING, parseCommand, parseQuery } from '@slipway/bus';
import { GetSettings, SETTINGS_STREAM, UpdateSettings, type CommandEnvelope, type QueryEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { configCommand, NO_CHANGE, outcome } from '../model/config-command';
import { readSettings } from './read-settings';
import { readStoredSecrets, storeSecretsOf } from './secret-store';
import { settingsDecider } from './settings.decider';

@Controller()
export class SettingsHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(UpdateSettings.subject, ERASED_AFTER_HANDLING)
  update(@Payload() envelope: CommandEnvelope) {
    const { settings } = parseCommand(UpdateSettings, envelope);
    const spec = configCommand({
      subject: UpdateSettings.subject, streamId: SETTINGS_STREAM, decider: settingsDecider,
      command: async (tx) => ({ kind: 'update' as const, settings, storedSecrets: await readStoredSecrets(tx), now: envelope.issuedAt }),
      result: () => outcome(NO_CHANGE),
    });
    return handleCommand(this.db, commandContext(envelope), { ...spec, projections: [...(spec.projections ?? []), storeSecretsOf(settings)] });
  }

  @MessagePattern(GetSettings.subject)
  get(@Payload() envelope: QueryEnvelope): Promise<Record<string, string>> {
    parseQuery(GetSettings, envelope);
    return readSettings(this.db);
  }
}
