import {
  DEFAULT_SETTINGS, DomainError, holdsMaskedUrlPassword, isSecretSetting, isWithheldSetting, quotedFew, SECRET_MASK, secretSettingCopied, SettingsUpdated, type SettingsEvent, type WithheldSetting,
} from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

export interface SettingsState {
  /** The values events carry: ordinary settings, and secrets that events older than the secret table hold in clear. */
  recorded: Record<string, string>;
  /** The settings whose values are in the secret table, not in events. */
  withheld: string[];
}
export type SettingsCommand = {
  kind: 'update';
  settings: Record<string, string>;
  /** The secret table's values, read in the command's transaction: the decider compares them, never records them. */
  storedSecrets: Record<string, string>;
  now: string;
};

/** The current document, as GET /settings answers it. */
export function currentSettings(state: SettingsState, storedSecrets: Record<string, string>): Record<string, string> {
  return { ...state.recorded, ...Object.fromEntries(state.withheld.map((name) => [name, storedSecrets[name] ?? ''])) };
}

/**
 * Settings are replaced as a whole document: every current key must be sent back. The
 * event records ordinary settings in clear and, for each secret one (isWithheldSetting: by
 * its name, or a URL with a password in its value), only whether it changed and whether
 * it is set: its value goes to the secret table beside the event.
 */
export const settingsDecider: Decider<SettingsState, SettingsCommand, SettingsEvent> = {
  initialState: () => ({ recorded: { ...DEFAULT_SETTINGS }, withheld: [] }),
  evolve: (_state, event) => ({ recorded: { ...event.data.settings }, withheld: (event.data.withheld ?? []).map((w) => w.name) }),
  decide(command, state) {
    const masked = Object.entries(command.settings).find(([name, value]) =>
      (value === SECRET_MASK && (isSecretSetting(name) || state.withheld.includes(name))) || holdsMaskedUrlPassword(value));
    if (masked) {
      throw new DomainError('invalid', `settings.${masked[0]} holds the mask GET /settings shows callers without admin, not a value: send the real value`, `settings.${masked[0]}`);
    }
    const current = currentSettings(state, command.storedSecrets);
    const missing = Object.keys(current).filter((key) => !Object.hasOwn(command.settings, key));
    if (missing.length > 0) {
      throw new DomainError('invalid', `settings are incomplete: missing ${quotedFew(missing, 10)}; POST the whole document from GET /settings`, `settings.${missing[0]}`);
    }
    const entries = Object.entries(command.settings);
    const same = entries.length === Object.keys(current).length && entries.every(([k, v]) => Object.hasOwn(current, k) && current[k] === v);
    if (same) return [];
    // Recorded and shown in the clear, a copy would undo the withholding of its secret.
    const copy = secretSettingCopied(command.settings);
    if (copy) {
      throw new DomainError('invalid', `settings.${copy.name} holds the value of the secret setting "${copy.secret}" (a YAML alias of it, say), which would be recorded and shown in the clear: give it a value of its own`, `settings.${copy.name}`);
    }
    const settings = Object.fromEntries(entries.filter(([name, value]) => !isWithheldSetting(name, value)));
    const withheld = entries.filter(([name, value]) => isWithheldSetting(name, value)).map(([name, value]): WithheldSetting => ({
      name, changed: !Object.hasOwn(current, name) || current[name] !== value, state: value === '' ? 'empty' : 'set',
    }));
    return [{ type: SettingsUpdated.type, data: { settings, withheld, updatedAt: command.now } }];
  },
};
