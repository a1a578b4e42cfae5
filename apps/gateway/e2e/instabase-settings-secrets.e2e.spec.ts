import { Bus, CommandBus } from '@slipway/bus';
import { DEFAULT_SETTINGS, hashToken, IssueToken, isSecretSetting, SECRET_MASK, SETTINGS_STREAM, SettingsUpdated, UpdateSettings, type SettingsEvent } from '@slipway/contracts';
import { createPool, handleCommand, type Decider } from '@slipway/event-log';
import { natsUrl } from '@slipway/testing';
import type { Pool } from 'pg';
import { configCommand, NO_CHANGE, outcome } from '../../config-store/src/model/config-command';
import { replayAll } from '../../telemetry/src/replay/replay';
import { expectNoneInNatsFiles, natsStore } from './nats-files';
import { startStack, type Stack } from './stack';
import { callInstabase } from './instabase-fixtures';

/**
 * Instabase settings (../shared/seeds/004, GET/POST api_root/settings) with secrets in
 * them: GET answers them as the document shows, while the event log, the audit API and
 * its SSE stream never hold them, and a replay rebuilds the same answer.
 */
const ROOT = '/api/v1/control_plane';
const OLD_PASSWORD = 'legacy-app-password-41d7';
const OLD_SLACK = 'https://hooks.slack.com/services/T0LEGACY/B0LEGACY/legacyhooksecret';
const PASSWORD = 'gmail-app-password-9f3b';
const SLACK = 'https://hooks.slack.com/services/T0NEW/B0NEW/newhooksecret';
const ALL_SECRETS = [OLD_PASSWORD, OLD_SLACK, PASSWORD, SLACK, 'legacyhooksecret', 'newhooksecret'];
const NEW_SECRETS = [PASSWORD, SLACK, 'newhooksecret'];
const ROTATED_PASSWORD = 'rotated-app-password-c07e';

/** Writes a settings event as Slipway did before secrets were withheld: every value in clear, projected inline. */
async function writeOldStyleSettings(pool: Pool, settings: Record<string, string>): Promise<void> {
  const oldDecider: Decider<null, null, SettingsEvent> = {
    initialState: () => null, evolve: (state) => state,
    decide: () => [{ type: SettingsUpdated.type, data: { settings, updatedAt: '2026-01-01T00:00:00.000Z' } }],
  };
  const reply = await handleCommand(pool, { commandId: 'old-style-settings', correlationId: 'old-style-settings', actor: 'admin', issuedAt: '2026-01-01T00:00:00.000Z' },
    configCommand({ subject: UpdateSettings.subject, streamId: SETTINGS_STREAM, decider: oldDecider, command: async () => null, result: () => outcome(NO_CHANGE) }));
  expect(reply).toMatchObject({ ok: true });
}

describe('Instabase settings with secrets', () => {
  let stack: Stack;
  let pool: Pool;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const getSettings = async (): Promise<Record<string, string>> => {
    const response = await call('/settings');
    expect(response.status).toBe(200);
    return (await response.json()).data.settings;
  };
  const postSettings = (settings: Record<string, string>) =>
    call('/settings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { settings } }) });
  /** Every event row's data and metadata, as text. */
  const logText = async () => (await pool.query<{ row: string }>('SELECT data::text || metadata::text AS row FROM events ORDER BY position')).rows.map((r) => r.row);
  const settingsEvents = async () =>
    (await pool.query<{ position: number; data: SettingsEvent['data'] }>(`SELECT position, data FROM events WHERE type = $1 ORDER BY position`, [SettingsUpdated.type])).rows;
  const expectReplayEqual = async () => {
    const reports = await replayAll(stack.databaseUrl);
    expect(reports.find((r) => r.projection === 'config_store')).toMatchObject({ equal: true, differences: { settings: 0 } });
    for (const report of reports) expect(report).toMatchObject({ equal: true });
  };

  beforeAll(async () => {
    stack = await startStack({ commandWaitMs: 5_000 });
    pool = createPool(stack.databaseUrl, { max: 2, schema: 'config' });
  });
  afterAll(async () => {
    await pool.end();
    await stack.stop();
  });

  it('given a log from before secrets were withheld, GET answers its clear values and the audit API hides them', async () => {
    await writeOldStyleSettings(pool, { ...DEFAULT_SETTINGS, obsAlertEmailAppPassword: OLD_PASSWORD, obsAlertSlackUrl: OLD_SLACK });
    expect(await getSettings()).toEqual({ ...DEFAULT_SETTINGS, obsAlertEmailAppPassword: OLD_PASSWORD, obsAlertSlackUrl: OLD_SLACK });
    const audit = await (await stack.request(`/api/v1/events?type=${SettingsUpdated.type}`)).json();
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0].data.settings).toMatchObject({ obsAlertEmailAppPassword: '[redacted]', obsAlertSlackUrl: '[redacted]', isDocsFromWordpress: 'true' });
    await expectReplayEqual();
  });

  it('keeps a POSTed password and Slack URL out of every event, yet GET answers them', async () => {
    const settings = { ...(await getSettings()), isDocsEnabled: 'true', obsAlertEmailAppPassword: PASSWORD, obsAlertSlackUrl: SLACK };
    const posted = await postSettings(settings);
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({ updatedConfigs: { successful_apply: [], failed_to_apply: [] } });

    expect(await getSettings()).toEqual(settings);
    for (const row of await logText()) for (const secret of NEW_SECRETS) expect(row).not.toContain(secret);
    const outcomes = await pool.query<{ reply: string }>('SELECT outcome::text AS reply FROM command_outcomes');
    for (const { reply } of outcomes.rows) for (const secret of NEW_SECRETS) expect(reply).not.toContain(secret);
    const latest = (await settingsEvents()).at(-1)!.data;
    expect(latest.settings).toMatchObject({ isDocsEnabled: 'true' });
    expect(latest.settings).not.toHaveProperty('obsAlertEmailAppPassword');
    expect(latest.withheld).toEqual([{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: true, state: 'set' }]);
  });

  it('answers the audit API and its SSE stream without any secret, old or new', async () => {
    const page = await (await stack.request('/api/v1/events?limit=1000')).json();
    const text = JSON.stringify(page);
    expect(text).toContain(SettingsUpdated.type);
    for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);

    const last = (await settingsEvents()).at(-1)!.position;
    const controller = new AbortController();
    const response = await stack.request('/api/v1/events/stream?from=0', { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let streamed = '';
    while (!new RegExp(`^id: ${last}$`, 'm').test(streamed)) streamed += decoder.decode((await reader.read()).value);
    controller.abort();
    expect(streamed).toContain('"withheld"');
    for (const secret of ALL_SECRETS) expect(streamed).not.toContain(secret);
  });

  (natsStore ? it : it.skip)('leaves no secret in the NATS server\'s files: a settings command is erased from COMMANDS once handled', async () => {
    await expectNoneInNatsFiles(stack.busPrefix, async () => {
      // when secrets are changed, and changed back
      const current = await getSettings();
      expect((await postSettings({ ...current, obsAlertEmailAppPassword: ROTATED_PASSWORD })).status).toBe(200);
      expect((await postSettings(current)).status).toBe(200);
      expect(await getSettings()).toEqual(current);
      // then the files hold none of them
      return [ROTATED_PASSWORD, ...NEW_SECRETS];
    });
  });

  it('rebuilds the settings equal in a replay, which leaves the secret values where they are', async () => {
    await expectReplayEqual();
    expect(await getSettings()).toMatchObject({ obsAlertEmailAppPassword: PASSWORD, obsAlertSlackUrl: SLACK });
    const stored = await pool.query<{ key: string }>('SELECT key FROM setting_secrets ORDER BY key');
    expect(stored.rows.map((r) => r.key)).toEqual(['obsAlertEmailAppPassword', 'obsAlertSlackUrl']);
  });

  it('records a changed password as changed and the unchanged Slack URL as unchanged; the same document again records nothing', async () => {
    const settings = { ...(await getSettings()), obsAlertEmailAppPassword: `${PASSWORD}-2` };
    expect((await postSettings(settings)).status).toBe(200);
    expect(await getSettings()).toEqual(settings);
    const events = await settingsEvents();
    expect(events.at(-1)!.data.withheld).toEqual([{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: false, state: 'set' }]);
    for (const row of await logText()) expect(row).not.toContain(`${PASSWORD}-2`);

    expect((await postSettings(settings)).status).toBe(200);
    expect(await settingsEvents()).toHaveLength(events.length);
    await expectReplayEqual();
  });

  it('shows secret settings to admins only: a read-only token sees the mask, and the mask is refused as a value', async () => {
    // given a reader token (read everywhere, no admin)
    const bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    try {
      const reader = 'settings-reader-token-7c21';
      const issued = await new CommandBus(bus).send(IssueToken, { principal: 'settings-reader', tokenHash: hashToken(reader), grants: [{ namespace: '*', capabilities: ['read'] }] }, { actor: { principal: 'admin', kind: 'token' } });
      expect(issued).toMatchObject({ status: 'completed', reply: { ok: true } });
      // when it reads the settings, the secrets that are set show as the mask, the rest as they are
      const response = await stack.request(`${ROOT}/settings`, { headers: { authorization: '', Token: reader } });
      expect(response.status).toBe(200);
      const text = await response.text();
      for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
      const seen = JSON.parse(text).data.settings as Record<string, string>;
      const full = await getSettings();
      expect(seen.obsAlertEmailAppPassword).toBe(SECRET_MASK);
      expect(seen.obsAlertSlackUrl).toBe(SECRET_MASK);
      for (const [name, value] of Object.entries(full)) if (!isSecretSetting(name)) expect(seen[name]).toBe(value);
      // and a document sent back with the mask is refused, naming the field, storing nothing
      const before = (await settingsEvents()).length;
      const refused = await postSettings({ ...full, obsAlertEmailAppPassword: SECRET_MASK });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error).toContain('obsAlertEmailAppPassword');
      expect(await settingsEvents()).toHaveLength(before);
      expect((await getSettings()).obsAlertEmailAppPassword).toBe(full.obsAlertEmailAppPassword);
      // and a URL's password in an ordinary setting is the mask too, the rest of it as set
      expect((await postSettings({ ...full, obsAlertSmtpServer: 'smtp://alerts:SmtpPass-61f3@mail.example' })).status).toBe(200);
      const again = await stack.request(`${ROOT}/settings`, { headers: { authorization: '', Token: reader } });
      const againText = await again.text();
      expect(againText).not.toContain('SmtpPass-61f3');
      expect(JSON.parse(againText).data.settings.obsAlertSmtpServer).toBe(`smtp://alerts:${SECRET_MASK}@mail.example`);
      expect((await getSettings()).obsAlertSmtpServer).toBe('smtp://alerts:SmtpPass-61f3@mail.example');
      expect((await postSettings(full)).status).toBe(200);
    } finally {
      await bus.close();
    }
  });

  it('refuses a document missing a secret setting, naming it and no value', async () => {
    const { obsAlertSlackUrl: _dropped, ...partial } = await getSettings();
    const refused = await postSettings(partial);
    expect(refused.status).toBe(400);
    const body = await refused.text();
    expect(body).toContain('obsAlertSlackUrl');
    for (const secret of ALL_SECRETS) expect(body).not.toContain(secret);
  });

  it('refuses a YAML body whose alias copies a secret setting into one shown in the clear, naming both and no value, recording nothing (probe)', async () => {
    const ALIASED = 'aliased-app-password-5e2a';
    const current = await getSettings();
    const events = (await settingsEvents()).length;
    const yaml = `data:\n  settings:\n${Object.entries(current).map(([name, value]) =>
      name === 'obsAlertEmailAppPassword' ? `    ${name}: &p ${ALIASED}\n` : name === 'obsAlertReceiverEmail' ? `    ${name}: *p\n` : `    ${name}: ${JSON.stringify(value)}\n`).join('')}`;
    const refused = await call('/settings', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yaml });
    const body = await refused.text();
    expect({ status: refused.status, error: JSON.parse(body).error }).toEqual({
      status: 400, error: expect.stringMatching(/^settings\.obsAlertReceiverEmail holds the value of the secret setting "obsAlertEmailAppPassword"/),
    });
    expect(body).not.toContain(ALIASED);
    expect(await settingsEvents()).toHaveLength(events);
    expect(await getSettings()).toEqual(current);
    for (const row of await logText()) expect(row).not.toContain(ALIASED);
    // The alias where a secret goes is taken.
    const kept = await call('/settings', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yaml.replace('obsAlertReceiverEmail: *p', 'obsAlertReceiverEmail: ""\n    smtpPassword: *p') });
    expect(kept.status).toBe(200);
    for (const row of await logText()) expect(row).not.toContain(ALIASED);
  });

  it('names a refused value where the body put it: under data.settings, or under settings when only the map is sent', async () => {
    const wrong = { ...(await getSettings()), isDocsEnabled: 5 };
    const refusal = async (body: unknown) => (await (await call('/settings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()).error as string;
    expect(await refusal({ data: { settings: wrong } })).toMatch(/^data\.settings\.isDocsEnabled\b/);
    expect(await refusal({ settings: wrong })).toMatch(/^settings\.isDocsEnabled\b/);
    // and what it cannot tell which to read from, or would ignore
    const right = await getSettings();
    expect(await refusal({ data: { settings: right }, settings: {} })).toBe('send the settings once: in data.settings, as GET /settings answers them, or in settings, not both');
    expect(await refusal({ data: { settings: right, extra: 1 } })).toBe('unknown field "data.extra": data holds the settings alone');
    expect(await refusal({ data: { settings: right }, extra: 1 })).toContain('unknown field "extra"');
  });
});
