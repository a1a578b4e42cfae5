import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand, parseQuery } from '@slipway/bus';
import { DEFAULT_SETTINGS, GetSettings, SETTINGS_STREAM, UpdateSettings, type CommandEnvelope, type QueryEnvelope } from '@slipway/contracts';
import { handleCommand } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { configCommand, outcome } from '../model/config-command';
import { settingsDecider } from './settings.decider';

@Controller()
export class SettingsHandlers {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(UpdateSettings.subject)
  update(@Payload() envelope: CommandEnvelope) {
    const { settings } = parseCommand(UpdateSettings, envelope);
    return handleCommand(this.db, commandContext(envelope), configCommand({
      subject: UpdateSettings.subject, streamId: SETTINGS_STREAM, decider: settingsDecider,
      command: async () => ({ kind: 'update' as const, settings, now: envelope.issuedAt }),
      result: () => outcome([]),
    }));
  }

  @MessagePattern(GetSettings.subject)
  async get(@Payload() envelope: QueryEnvelope): Promise<Record<string, string>> {
    parseQuery(GetSettings, envelope);
    const { rows } = await this.db.query<{ key: string; value: string }>('SELECT key, value FROM settings ORDER BY key');
    return rows.length ? Object.fromEntries(rows.map((r) => [r.key, r.value])) : { ...DEFAULT_SETTINGS };
  }
}
