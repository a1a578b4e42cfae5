import { DEFAULT_SETTINGS, DomainError, SettingsUpdated, type SettingsEvent } from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

export interface SettingsState {
  settings: Record<string, string>;
}
export type SettingsCommand = { kind: 'update'; settings: Record<string, string>; now: string };

/** Settings are replaced as a whole document: every current key must be sent back. */
export const settingsDecider: Decider<SettingsState, SettingsCommand, SettingsEvent> = {
  initialState: () => ({ settings: { ...DEFAULT_SETTINGS } }),
  evolve: (_state, event) => ({ settings: { ...event.data.settings } }),
  decide(command, state) {
    const missing = Object.keys(state.settings).filter((key) => !Object.hasOwn(command.settings, key));
    if (missing.length > 0) {
      throw new DomainError('invalid', `settings are incomplete: missing ${missing.map((k) => `"${k}"`).join(', ')}; POST the whole document from GET /settings`, `settings.${missing[0]}`);
    }
    const same = Object.keys(command.settings).length === Object.keys(state.settings).length
      && Object.entries(command.settings).every(([k, v]) => state.settings[k] === v);
    return same ? [] : [{ type: SettingsUpdated.type, data: { settings: command.settings, updatedAt: command.now } }];
  },
};
