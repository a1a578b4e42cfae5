import { REDACTED } from '@slipway/contracts';
// The module's own exports, which the redaction calls through (an `import *` is a copy): a spy there sees its parses.
import yaml = require('yaml');
import { redactEvent } from './redact-event';

const logged = (type: string, data: unknown) => ({ position: 7, eventId: 'e-7', streamId: 's', streamVersion: 1, type, data, metadata: { actor: 'admin' } });

describe('redactEvent', () => {
  it('shows a command id, correlation id or causation id that reads as a secret [redacted] (a NATS publisher names its own), others as they are', () => {
    const event = { ...logged('target.created.v1', {}), metadata: { actor: 'admin', commandId: 'db-password:hunter2cmd', correlationId: 'password-reset.42', causationId: 'https://u:pw-41@example.com' } };
    expect(redactEvent(event).metadata).toEqual({ actor: 'admin', commandId: REDACTED, correlationId: 'password-reset.42', causationId: REDACTED });
    expect(redactEvent(logged('target.created.v1', {})).metadata).toEqual({ actor: 'admin' });
  });

  it('shows a token event\'s tokenHash, the id its stream is named by (probe: it read [redacted]), and hides one that is not its stream\'s', () => {
    const id = 'a'.repeat(64);
    const issued = { ...logged('token.issued.v1', { principal: 'ci', tokenHash: id, grants: [], issuedAt: 't' }), streamId: `token-${id}` };
    expect(redactEvent(issued).data).toEqual({ principal: 'ci', tokenHash: id, grants: [], issuedAt: 't' });
    const elsewhere = { ...logged('token.revoked.v1', { tokenHash: 'slw_not-a-hash', revokedAt: 't' }), streamId: `token-${id}` };
    expect(redactEvent(elsewhere).data).toEqual({ tokenHash: REDACTED, revokedAt: 't' });
  });

  it('given a settings event written before secrets were withheld, hides its secret settings, the Slack URL included', () => {
    const event = logged('settings.updated.v1', {
      settings: { isDocsEnabled: 'true', obsAlertEmailAppPassword: 'app-pw-1', obsAlertSlackUrl: 'https://hooks.slack.com/services/T0/B0/xyz', obsAlertSlackChannel: '#ops' },
      updatedAt: 't',
    });
    expect(redactEvent(event).data).toEqual({
      settings: { isDocsEnabled: 'true', obsAlertEmailAppPassword: REDACTED, obsAlertSlackUrl: REDACTED, obsAlertSlackChannel: '#ops' },
      updatedAt: 't',
    });
  });

  it('keeps what a settings event records of its withheld secrets: their names, whether they changed, whether they are set', () => {
    const withheld = [{ name: 'obsAlertEmailAppPassword', changed: true, state: 'set' }, { name: 'obsAlertSlackUrl', changed: false, state: 'empty' }];
    const event = logged('settings.updated.v1', { settings: { isDocsEnabled: 'false' }, withheld, updatedAt: 't' });
    expect(redactEvent(event)).toEqual(event);
  });

  it('redacts secret-looking keys and config lines in any event, leaving the rest and the envelope as they are', () => {
    const event = logged('baseconfig.uploaded.v1', { uploadedBy: 'admin', documents: [{ objectName: 'db', config: 'kind: ConfigMap\ndata:\n  DB_PASSWORD: hunter2\n  LOG_LEVEL: INFO\n' }], apiToken: 't-1' });
    expect(redactEvent(event)).toEqual({
      ...event,
      data: { uploadedBy: 'admin', documents: [{ objectName: 'db', config: `kind: ConfigMap\ndata:\n  DB_PASSWORD: ${REDACTED}\n  LOG_LEVEL: INFO\n` }], apiToken: REDACTED },
    });
  });

  it('hides a field named like a secret setting in any event, not only settings events (one rule for secret names)', () => {
    const event = logged('cluster.config-applied.v1', { objectName: 'hooks', manifest: { slackUrl: 'https://hooks.slack.com/services/T0/B0/x', replicas: 2 } });
    expect(redactEvent(event).data).toEqual({ objectName: 'hooks', manifest: { slackUrl: '[redacted]', replicas: 2 } });
  });
});

/** The probe's Secret patch: neither `foo` nor `plain` looks secret, yet a Secret's values all are. */
const SECRET_PATCH = '# target: creds\napiVersion: v1\nkind: Secret\ndata:\n  foo: U2VjcmV0QmFzZTY0UVE1\nstringData:\n  plain: PlainSecretQQ6\n';
const patchApplied = (patch: string, format = 'YAML', kind: string | null = null) =>
  logged('patch.applied.v1', { patches: [{ version: 1, target: 'creds', format, kind, patch, description: '' }], createdBy: 'admin', createdAt: 't' });
const patchTextOf = (event: ReturnType<typeof logged>) => (redactEvent(event).data as { patches: Array<{ patch: string }> }).patches[0]!.patch;

describe('redactEvent on Kubernetes Secrets', () => {
  it('hides every value under data and stringData of an applied Secret manifest, keeping the keys', () => {
    const manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', data: { foo: 'U2VjcmV0QmFzZTY0UVE1' }, stringData: { plain: 'PlainSecretQQ6' } };
    expect(redactEvent(logged('cluster.config-applied.v1', { objectName: 'creds', manifest })).data).toEqual({
      objectName: 'creds', manifest: { ...manifest, data: { foo: REDACTED }, stringData: { plain: REDACTED } },
    });
  });

  it('hides every value of a Secret in patch text, keeping the target line, the keys and the rest', () => {
    expect(patchTextOf(patchApplied(SECRET_PATCH))).toBe(
      `# target: creds\napiVersion: v1\nkind: Secret\ndata:\n  foo: ${REDACTED}\nstringData:\n  plain: ${REDACTED}\n`,
    );
  });

  it('hides the values a JSON patch adds to a Secret, and those of a patch the event says targets a Secret', () => {
    const json = '{"kind":"Secret","target":"creds","patch":[{"op":"add","path":"/data/foo","value":"U2VjcmV0QmFzZTY0UVE1"}]}';
    const noKindInText = '# target: creds\nstringData:\n  plain: PlainSecretQQ6\n';
    expect(patchTextOf(patchApplied(json, 'JSON'))).not.toContain('U2VjcmV0QmFzZTY0UVE1');
    expect(patchTextOf(patchApplied(noKindInText, 'YAML', 'Secret'))).not.toContain('PlainSecretQQ6');
  });
});

describe('redactEvent on patch events recorded before their text and description were sealed', () => {
  const applied = (patches: Array<{ kind: string | null; patch: string; format?: string }>, description: string) => logged('patch.applied.v1', {
    patches: patches.map((p, i) => ({ version: i + 1, target: 'creds', format: p.format ?? 'YAML', kind: p.kind, patch: p.patch, description })), createdBy: 'admin', createdAt: 't',
  });
  const shown = (event: ReturnType<typeof logged>) => (redactEvent(event).data as { patches: Array<{ patch: string; description: string }> }).patches;

  it('reads the text of a patch naming no kind as a Secret\'s (it may target one), as the patch list does for a reader', () => {
    const [patch] = shown(applied([{ kind: null, patch: '# target: creds\nstringData:\n  plain: PlainSecretQQ6\n' }], ''));
    expect(patch!.patch).toBe(`# target: creds\nstringData:\n  plain: ${REDACTED}\n`);
    // A patch of another kind keeps its data: a ConfigMap's values are no secrets.
    expect(shown(applied([{ kind: 'ConfigMap', patch: '# target: settings\ndata:\n  mode: fast\n' }], ''))[0]!.patch).toContain('mode: fast');
  });

  it('hides in the description the values any patch of its command keeps secret, and nothing else', () => {
    const patches = shown(applied([
      { kind: null, patch: '# target: creds\nstringData:\n  plain: PlainSecretQQ6\n' },
      { kind: 'Deployment', patch: '# target: web\nenv:\n- name: DATABASE_URL\n  value: postgres://u:UrlPassQQ7@db/app\n' },
    ], 'rotate pw to PlainSecretQQ6 and the db to UrlPassQQ7, mode fast'));
    expect(patches.map((p) => p.description)).toEqual(Array(2).fill(`rotate pw to ${REDACTED} and the db to ${REDACTED}, mode fast`));
  });
});

describe('redactEvent on patch text that is not block-style YAML', () => {
  it('hides a secret env value written in flow style', () => {
    const text = '# target: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        env: [{name: MY_PASSWD, value: FlowPassQQ2}, {name: MODE, value: fast}]\n';
    const shown = patchTextOf(patchApplied(text));
    expect(shown).not.toContain('FlowPassQQ2');
    expect(shown).toContain('MY_PASSWD');
    expect(shown).toContain('fast');
  });

  it('hides a secret env value a JSON patch adds, and the value of an op whose path names a secret', () => {
    const text = JSON.stringify({ kind: 'Deployment', target: 'x', patch: [
      { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'API_KEY', value: 'JsonPatchQQ4' } },
      { op: 'replace', path: '/spec/template/metadata/annotations/db-password', value: 'JsonPatchQQ5' },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ] });
    const shown = patchTextOf(patchApplied(text, 'JSON'));
    expect(shown).not.toMatch(/JsonPatchQQ[45]/);
    expect(JSON.parse(shown)).toEqual({ kind: 'Deployment', target: 'x', patch: [
      { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'API_KEY', value: REDACTED } },
      { op: 'replace', path: '/spec/template/metadata/annotations/db-password', value: REDACTED },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ] });
  });
});

describe('redactEvent on credentials inside URLs', () => {
  it('hides the password of a URL in a setting, an env value and config text, keeping user and host', () => {
    const event = logged('settings.updated.v1', { settings: { obsAlertSmtpServer: 'smtp://user:SmtpQQ13@mail', isDocsEnabled: 'true' }, updatedAt: 't' });
    expect(redactEvent(event).data).toEqual({ settings: { obsAlertSmtpServer: `smtp://user:${REDACTED}@mail`, isDocsEnabled: 'true' }, updatedAt: 't' });
    const manifest = { kind: 'Deployment', spec: { containers: [{ env: [{ name: 'DATABASE_URL', value: 'postgres://u:pw@host/db' }] }] } };
    expect(JSON.stringify(redactEvent(logged('cluster.config-applied.v1', { manifest })).data)).toContain(`postgres://u:${REDACTED}@host/db`);
    const text = '# target: web\nenv:\n- name: DATABASE_URL\n  value: postgres://u:pw@host/db\n';
    expect(patchTextOf(patchApplied(text))).toBe(`# target: web\nenv:\n- name: DATABASE_URL\n  value: postgres://u:${REDACTED}@host/db\n`);
  });
});

describe('redactEvent\'s work on a patch event', () => {
  it('parses each patch\'s text once, and the description its patches share once', () => {
    // given three JSON patches of a ConfigMap, their description shared and parseable
    const patch = (n: number) => JSON.stringify({ kind: 'ConfigMap', target: 'cm', patch: [{ op: 'add', path: `/data/k${n}`, value: `v${n}` }] });
    const description = 'set {replicas: 2} everywhere';
    const event = logged('patch.applied.v1', { patches: [1, 2, 3].map((n) => ({ version: n, target: 'cm', format: 'JSON', kind: 'ConfigMap', patch: patch(n), description })), createdBy: 'admin', createdAt: 't' });
    const parse = jest.spyOn(yaml, 'parseAllDocuments');
    try {
      // when it is redacted
      const { data } = redactEvent(event);
      // then the YAML parser read each text once: three patches, one description
      expect(parse).toHaveBeenCalledTimes(4);
      expect(data).toEqual(event.data);
    } finally {
      parse.mockRestore();
    }
  });
});
