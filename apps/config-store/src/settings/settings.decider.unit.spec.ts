import { DEFAULT_SETTINGS, SettingsUpdated } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { settingsDecider } from './settings.decider';

const now = '2026-11-23T10:00:00.000Z';

describe('settings decider', () => {
  const state = fold(settingsDecider, []);

  it('takes a complete document and records it', () => {
    const settings = { ...DEFAULT_SETTINGS, isDocsEnabled: 'true', extra: 'x' };
    expect(settingsDecider.decide({ kind: 'update', settings, now }, state)).toEqual([{ type: SettingsUpdated.type, data: { settings, updatedAt: now } }]);
  });

  it('refuses a document missing a current key, naming it', () => {
    const { isDocsEnabled: _dropped, ...rest } = DEFAULT_SETTINGS;
    expect(() => settingsDecider.decide({ kind: 'update', settings: rest, now }, state))
      .toThrow(expect.objectContaining({ code: 'invalid', field: 'settings.isDocsEnabled' }));
  });

  it('records nothing when nothing changed', () => {
    expect(settingsDecider.decide({ kind: 'update', settings: { ...DEFAULT_SETTINGS }, now }, state)).toEqual([]);
  });
});
