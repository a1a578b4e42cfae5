import { DEFAULT_SETTINGS, MAX_SETTINGS, SECRET_MASK, SettingsUpdated, UpdateSettings, type SettingsEvent } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { currentSettings, settingsDecider } from './settings.decider';

const now = '2026-11-23T10:00:00.000Z';
const PASSWORD = 'app-pw-7c1e';
const SLACK = 'https://hooks.slack.com/services/T000/B000/s3cr3t';
const { obsAlertEmailAppPassword: _p, obsAlertSlackUrl: _s, ...ordinary } = DEFAULT_SETTINGS;

const given = (...events: SettingsEvent[]) => fold(settingsDecider, events);
const updated = (data: SettingsEvent['data']): SettingsEvent => ({ type: SettingsUpdated.type, data });
/** An event as the log held them before secrets were withheld: every value in clear. */
const legacy = (settings: Record<string, string>) => updated({ settings, updatedAt: 'earlier' });

describe('settings decider', () => {
  it('given many settings, when a document leaves them out, then the refusal names ten and counts the rest', () => {
    const extra = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`extra${i}`, 'x']));
    const state = given(updated({ settings: { ...ordinary, ...extra }, updatedAt: 'earlier' }));
    expect(() => settingsDecider.decide({ kind: 'update', settings: ordinary, storedSecrets: {}, now }, state))
      .toThrow('settings are incomplete: missing "extra0", "extra1", "extra2", "extra3", "extra4", "extra5", "extra6", "extra7", "extra8", "extra9" and 40 more; POST the whole document from GET /settings');
  });

  it('refuses a document of more settings than it may hold, which could never be dropped again', () => {
    const settings = Object.fromEntries(Array.from({ length: MAX_SETTINGS + 1 }, (_, i) => [`s${i}`, 'x']));
    const parsed = UpdateSettings.schema.safeParse({ settings });
    expect(parsed.success ? undefined : parsed.error.issues[0]!.message).toBe(`must hold at most ${MAX_SETTINGS} settings`);
    expect(UpdateSettings.schema.safeParse({ settings: { ...DEFAULT_SETTINGS } }).success).toBe(true);
  });

  it('refuses a setting shown in the clear that holds a secret setting\'s value (a YAML body\'s alias of it), naming both and not the value', () => {
    // `obsAlertEmailAppPassword: &p …` and `obsAlertReceiverEmail: *p`: the gateway reads the alias as the value it names
    const copied = { ...DEFAULT_SETTINGS, obsAlertEmailAppPassword: PASSWORD, obsAlertReceiverEmail: PASSWORD };
    const refusal = (() => {
      try {
        settingsDecider.decide({ kind: 'update', settings: copied, storedSecrets: {}, now }, given());
      } catch (error) {
        return error as Error & { code: string; field: string };
      }
      throw new Error('accepted');
    })();
    expect(refusal).toMatchObject({
      code: 'invalid', field: 'settings.obsAlertReceiverEmail',
      message: 'settings.obsAlertReceiverEmail holds the value of the secret setting "obsAlertEmailAppPassword" (a YAML alias of it, say), which would be recorded and shown in the clear: give it a value of its own',
    });
    expect(refusal.message).not.toContain(PASSWORD);
    // a URL's password (which a URL shown masked keeps), and a copy among custom settings too
    expect(() => settingsDecider.decide({ kind: 'update', settings: { ...DEFAULT_SETTINGS, smtpUrl: 'smtp://u:UrlPw-4411@mail', note: 'UrlPw-4411' }, storedSecrets: {}, now }, given()))
      .toThrow('settings.note holds the value of the secret setting "smtpUrl"');
    // a flag or a number any setting may hold, and a value too short to tell, are no copies
    const flags = { ...DEFAULT_SETTINGS, isDocsEnabled: 'true', isTokenAuthEnabled: 'true', sessionTokenTtl: '3600', cacheSeconds: '3600', apiKeyShort: 'abc', region: 'abc', smtpPassword: 'none', relay: 'none', tokenMode: 'default', mode: 'Default' };
    expect(settingsDecider.decide({ kind: 'update', settings: flags, storedSecrets: {}, now }, given())).toHaveLength(1);
    // nor a secret's value in another secret setting
    expect(settingsDecider.decide({ kind: 'update', settings: { ...DEFAULT_SETTINGS, obsAlertEmailAppPassword: PASSWORD, smtpPassword: PASSWORD }, storedSecrets: {}, now }, given())).toHaveLength(1);
  });

  it('given no update, when a complete document with a password and a Slack URL arrives, then the event withholds both and records the rest', () => {
    const settings = { ...DEFAULT_SETTINGS, isDocsEnabled: 'true', obsAlertEmailAppPassword: PASSWORD, obsAlertSlackUrl: SLACK };
    const events = settingsDecider.decide({ kind: 'update', settings, storedSecrets: {}, now }, given());
    expect(events).toEqual([updated({
      settings: { ...ordinary, isDocsEnabled: 'true' },
      withheld: [{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: true, state: 'set' }],
      updatedAt: now,
    })]);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
    expect(JSON.stringify(events)).not.toContain('hooks.slack.com');
  });

  it('given withheld secrets, when only an ordinary setting changes, then the secrets are recorded as unchanged', () => {
    const state = given(updated({ settings: ordinary, withheld: [{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: false, state: 'empty' }], updatedAt: 'earlier' }));
    const settings = { ...ordinary, isProdEnvironment: 'true', obsAlertEmailAppPassword: PASSWORD, obsAlertSlackUrl: '' };
    const [event] = settingsDecider.decide({ kind: 'update', settings, storedSecrets: { obsAlertEmailAppPassword: PASSWORD, obsAlertSlackUrl: '' }, now }, state);
    expect(event!.data.withheld).toEqual([{ name: 'obsAlertEmailAppPassword', changed: false, state: 'set' }, { name: 'obsAlertSlackUrl', changed: false, state: 'empty' }]);
    expect(event!.data.settings.isProdEnvironment).toBe('true');
  });

  it('given withheld secrets, when the password is cleared, then only that change is recorded, as empty', () => {
    const state = given(updated({ settings: ordinary, withheld: [{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: true, state: 'set' }], updatedAt: 'earlier' }));
    const storedSecrets = { obsAlertEmailAppPassword: PASSWORD, obsAlertSlackUrl: SLACK };
    const [event] = settingsDecider.decide({ kind: 'update', settings: { ...ordinary, obsAlertEmailAppPassword: '', obsAlertSlackUrl: SLACK }, storedSecrets, now }, state);
    expect(event!.data.withheld).toEqual([{ name: 'obsAlertEmailAppPassword', changed: true, state: 'empty' }, { name: 'obsAlertSlackUrl', changed: false, state: 'set' }]);
  });

  it('given withheld secrets, when the same document comes back, then nothing is recorded', () => {
    const state = given(updated({ settings: ordinary, withheld: [{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: true, state: 'set' }], updatedAt: 'earlier' }));
    const storedSecrets = { obsAlertEmailAppPassword: PASSWORD, obsAlertSlackUrl: SLACK };
    expect(settingsDecider.decide({ kind: 'update', settings: currentSettings(state, storedSecrets), storedSecrets, now }, state)).toEqual([]);
  });

  it('given an event from before withholding that holds the password in clear, when a document changes the password, then it is withheld and marked changed', () => {
    const state = given(legacy({ ...DEFAULT_SETTINGS, obsAlertEmailAppPassword: 'old-pw' }));
    expect(currentSettings(state, {}).obsAlertEmailAppPassword).toBe('old-pw');
    const [event] = settingsDecider.decide({ kind: 'update', settings: { ...DEFAULT_SETTINGS, obsAlertEmailAppPassword: PASSWORD }, storedSecrets: {}, now }, state);
    expect(event!.data.settings).toEqual(ordinary);
    expect(event!.data.withheld).toEqual([{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: false, state: 'empty' }]);
  });

  it('given an event from before withholding, when the same document comes back, then nothing is recorded', () => {
    const state = given(legacy({ ...DEFAULT_SETTINGS, obsAlertEmailAppPassword: 'old-pw' }));
    expect(settingsDecider.decide({ kind: 'update', settings: { ...DEFAULT_SETTINGS, obsAlertEmailAppPassword: 'old-pw' }, storedSecrets: {}, now }, state)).toEqual([]);
  });

  it('given no update, when a new secret-looking setting is added, then it is withheld too', () => {
    const [event] = settingsDecider.decide({ kind: 'update', settings: { ...DEFAULT_SETTINGS, pagerDutyToken: 'pd-1' }, storedSecrets: {}, now }, given());
    expect(event!.data.withheld).toContainEqual({ name: 'pagerDutyToken', changed: true, state: 'set' });
    expect(event!.data.settings).not.toHaveProperty('pagerDutyToken');
  });

  it('given no update, when a setting holds a URL with a password, then it is withheld whatever its name', () => {
    const settings = { ...DEFAULT_SETTINGS, obsAlertSmtpServer: 'smtp://user:SmtpQQ13@mail', DATABASE_URL: 'postgres://u:pw@host/db' };
    const [event] = settingsDecider.decide({ kind: 'update', settings, storedSecrets: {}, now }, given());
    expect(JSON.stringify(event)).not.toMatch(/SmtpQQ13|:pw@/);
    expect(event!.data.withheld).toContainEqual({ name: 'obsAlertSmtpServer', changed: true, state: 'set' });
    expect(event!.data.withheld).toContainEqual({ name: 'DATABASE_URL', changed: true, state: 'set' });
  });

  it('given no update, when a setting holds what looks like a secret (a bearer token, a password pair), then it is withheld whatever its name, and its mask is refused back', () => {
    const settings = { ...DEFAULT_SETTINGS, proxyHeader: 'Bearer eyJhbGciOi.x.y', smtpOptions: 'user=bob password=hunter2' };
    const [event] = settingsDecider.decide({ kind: 'update', settings, storedSecrets: {}, now }, given());
    expect(JSON.stringify(event)).not.toMatch(/eyJhbGciOi|hunter2/);
    expect(event!.data.withheld).toEqual(expect.arrayContaining([{ name: 'proxyHeader', changed: true, state: 'set' }, { name: 'smtpOptions', changed: true, state: 'set' }]));
    // a reader without admin sees the mask; sent back, it is refused as no value
    const after = given(event!);
    expect(() => settingsDecider.decide({ kind: 'update', settings: { ...settings, smtpOptions: SECRET_MASK }, storedSecrets: { proxyHeader: settings.proxyHeader, smtpOptions: settings.smtpOptions }, now }, after))
      .toThrow(expect.objectContaining({ field: 'settings.smtpOptions' }));
  });

  it('given a withheld URL setting, when its password goes, then it is recorded in clear again, and the same document records nothing', () => {
    const state = given(updated({ settings: ordinary, withheld: [{ name: 'obsAlertSmtpServer', changed: true, state: 'set' }], updatedAt: 'earlier' }));
    const storedSecrets = { obsAlertSmtpServer: 'smtp://user:SmtpQQ13@mail' };
    expect(settingsDecider.decide({ kind: 'update', settings: currentSettings(state, storedSecrets), storedSecrets, now }, state)).toEqual([]);
    const [event] = settingsDecider.decide({ kind: 'update', settings: { ...currentSettings(state, storedSecrets), obsAlertSmtpServer: 'smtp://mail' }, storedSecrets, now }, state);
    expect(event!.data.settings.obsAlertSmtpServer).toBe('smtp://mail');
    expect(event!.data.withheld).not.toContainEqual(expect.objectContaining({ name: 'obsAlertSmtpServer' }));
  });

  it('refuses a URL whose password is the mask readers see, naming the setting', () => {
    const settings = { ...DEFAULT_SETTINGS, obsAlertSmtpServer: `smtp://user:${SECRET_MASK}@mail` };
    expect(() => settingsDecider.decide({ kind: 'update', settings, storedSecrets: {}, now }, given()))
      .toThrow(expect.objectContaining({ code: 'invalid', field: 'settings.obsAlertSmtpServer' }));
  });

  it('given withheld secrets, when a document misses one, then it is refused naming that setting and no value', () => {
    const state = given(updated({ settings: ordinary, withheld: [{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: true, state: 'set' }], updatedAt: 'earlier' }));
    const decide = () => settingsDecider.decide({ kind: 'update', settings: { ...ordinary, obsAlertEmailAppPassword: PASSWORD }, storedSecrets: { obsAlertEmailAppPassword: PASSWORD, obsAlertSlackUrl: SLACK }, now }, state);
    expect(decide).toThrow(expect.objectContaining({ code: 'invalid', field: 'settings.obsAlertSlackUrl' }));
    expect(decide).toThrow(expect.not.objectContaining({ message: expect.stringContaining(PASSWORD) }));
  });

  it('given no update, when a document misses a default key, then it is refused naming it', () => {
    const { isDocsEnabled: _dropped, ...rest } = DEFAULT_SETTINGS;
    expect(() => settingsDecider.decide({ kind: 'update', settings: rest, storedSecrets: {}, now }, given()))
      .toThrow(expect.objectContaining({ code: 'invalid', field: 'settings.isDocsEnabled' }));
  });

  it('given no update, when the defaults come back, then nothing is recorded', () => {
    expect(settingsDecider.decide({ kind: 'update', settings: { ...DEFAULT_SETTINGS }, storedSecrets: {}, now }, given())).toEqual([]);
  });
});
