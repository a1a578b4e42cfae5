import { randomBytes } from 'node:crypto';
import { isWithheldSetting } from '../config/settings';
import { commandEnvelope } from '../envelope';
import { REDACTED } from './redacted';
import { newToken } from './token-secrets';
import { redactSecrets } from './redact-value';
import { redactTextPatterns } from './text-patterns';

describe('redactSecrets, redactTextPatterns', () => {
  it('redacts secret-looking keys at any depth', () => {
    expect(redactSecrets({ a: 1, password: 'p', nested: [{ apiKey: 'k', Token: 't', client_secret: 's', ok: 'v' }] }))
      .toEqual({ a: 1, password: REDACTED, nested: [{ apiKey: REDACTED, Token: REDACTED, client_secret: REDACTED, ok: 'v' }] });
  });
  it('redacts secret lines inside config text', () => {
    expect(redactSecrets({ config: 'kind: ConfigMap\ndata:\n  DB_PASSWORD: hunter2\n  LOG_LEVEL: INFO\nAPI_TOKEN=abc\n' }))
      .toEqual({ config: `kind: ConfigMap\ndata:\n  DB_PASSWORD: ${REDACTED}\n  LOG_LEVEL: INFO\nAPI_TOKEN=${REDACTED}\n` });
  });
  it('redacts the value of an env entry named like a secret, as object and as YAML', () => {
    expect(redactSecrets({ env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'LOG_LEVEL', value: 'INFO' }] }))
      .toEqual({ env: [{ name: 'DB_PASSWORD', value: REDACTED }, { name: 'LOG_LEVEL', value: 'INFO' }] });
    expect(redactSecrets('env:\n- name: DB_PASSWORD\n  value: hunter2\n- name: LOG_LEVEL\n  value: INFO\n'))
      .toBe(`env:\n- name: DB_PASSWORD\n  value: ${REDACTED}\n- name: LOG_LEVEL\n  value: INFO\n`);
  });
  it('redacts secret pairs and bearer credentials anywhere in a log message', () => {
    expect(redactTextPatterns('level=info user=bob password=hunter2 msg="login ok"')).toBe(`level=info user=bob password=${REDACTED} msg="login ok"`);
    expect(redactTextPatterns('{"api_key": "k-1", "n": 1}')).toBe(`{"api_key": ${REDACTED}, "n": 1}`);
    expect(redactTextPatterns('GET / Authorization: Bearer abc.def')).not.toContain('abc.def');
    expect(redactTextPatterns('served 200 in 3ms')).toBe('served 200 in 3ms');
  });
});

describe('a Slipway token\'s secret, under any name (review)', () => {
  const token = `slw_${'Ab3_-x'.repeat(7)}Q`;
  it('is redacted wherever it is pasted: a value, a line of text, an annotation', () => {
    expect(token).toHaveLength(47);
    expect(redactSecrets({ ci: token, owner: `team ${token} on call` })).toEqual({ ci: REDACTED, owner: `team ${REDACTED} on call` });
    expect(redactTextPatterns(`ci=${token}`)).toBe(`ci=${REDACTED}`);
    expect(isWithheldSetting('obsAlertSlackChannel', token)).toBe(true);
  });
  it('is found in every token issued: one drawn without a digit or a letter of each case is drawn again', () => {
    const draws = [Buffer.alloc(32), randomBytes(32)];
    const token = newToken(() => draws.shift()!);
    expect(draws).toEqual([]);
    expect(token).toMatch(/^slw_[A-Za-z0-9_-]{43}$/);
    expect(redactTextPatterns(`ci=${token}`)).toBe(`ci=${REDACTED}`);
  });

  it('is not found in a name that merely starts like one, with no mixed case and digit (review)', () => {
    for (const name of ['slw_payment-gateway-settlement-reconciler-worker', 'slw_release_pipeline_bot_for_the_payments_team_prod', 'slw_PaymentGatewaySettlementReconcilerWorkerOne']) {
      expect(redactTextPatterns(`image: reg.example.com/team/${name}:1.4.2`)).toBe(`image: reg.example.com/team/${name}:1.4.2`);
    }
  });

  it('is found glued to more text, which goes with it; a run too short to hold one is not (probe)', () => {
    expect(redactTextPatterns(`x-${token}-prod`)).toBe(`x-${REDACTED}`);
    expect(redactTextPatterns(`"${token}_prod" and more`)).toBe(`"${REDACTED}" and more`);
    expect(redactTextPatterns(token.slice(0, -1))).toBe(token.slice(0, -1));
  });
  it('is refused as a command\'s id or correlation id, which the audit log shows', () => {
    const envelope = { commandId: 'c-1', correlationId: token, actor: { principal: 'ci', kind: 'token' }, issuedAt: '2026-12-05T00:00:00Z', payload: {} };
    const parsed = commandEnvelope.safeParse(envelope);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("must not hold a token's secret");
    expect(commandEnvelope.safeParse({ ...envelope, correlationId: 'release-7' }).success).toBe(true);
    expect(commandEnvelope.safeParse({ ...envelope, correlationId: `x-${token}-y` }).success).toBe(false);
  });
});

/** What DEADLETTER keeps of a command (settle-message files it through redactSecrets). */
describe('redactSecrets on a dead-lettered command', () => {
  it('redacts secrets inside a command payload text, not only under secret-named keys', () => {
    const text = '# target: db\ndata:\n  password: "DLQSecretA1"\n  note: "token=DLQSecretB2"\n';
    const kept = redactSecrets({ commandId: 'c1', payload: { text, description: 'd' } }) as { payload: { text: string; description: string } };
    expect(JSON.stringify(kept)).not.toMatch(/DLQSecret/);
    expect(kept.payload.text).toContain('note:');
    expect(kept.payload.description).toBe('d');
  });

  it('redacts the values of a Secret and the password of a URL', () => {
    expect(redactSecrets({ kind: 'Secret', data: { foo: 'U2Vj' }, stringData: { plain: 'p' }, metadata: { name: 's' } }))
      .toEqual({ kind: 'Secret', data: { foo: '[redacted]' }, stringData: { plain: '[redacted]' }, metadata: { name: 's' } });
    expect(redactSecrets({ settings: { obsAlertSmtpServer: 'smtp://user:SmtpQQ13@mail' } }))
      .toEqual({ settings: { obsAlertSmtpServer: 'smtp://user:[redacted]@mail' } });
  });

  it('keeps an empty secret empty: that it is unset is no secret', () => {
    expect(redactSecrets({ password: '', token: 't' })).toEqual({ password: '', token: '[redacted]' });
  });
});

describe('redactSecrets on an env entry named like a secret', () => {
  it('hides all the entry holds but its name, whatever its shape', () => {
    expect(redactSecrets({ env: [{ name: 'SECRET_TOKEN', valueFrom: 'from-s3cret' }, { name: 'DB_PASSWORD', value: { inner: 'map-s3cret' } }] }))
      .toEqual({ env: [{ name: 'SECRET_TOKEN', valueFrom: REDACTED }, { name: 'DB_PASSWORD', value: REDACTED }] });
    expect(redactSecrets({ env: [{ name: 'API_KEY', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }, { name: 'LOG_LEVEL', valueFrom: 'plain' }] }))
      .toEqual({ env: [{ name: 'API_KEY', valueFrom: REDACTED }, { name: 'LOG_LEVEL', valueFrom: 'plain' }] });
  });

  it('hides the same in text, in flow style and in block style', () => {
    expect(redactSecrets('{env: [{name: SECRET_TOKEN, valueFrom: from-s3cret}]}')).not.toContain('from-s3cret');
    expect(redactSecrets('env:\n- name: SECRET_TOKEN\n  valueFrom: from-s3cret\n- name: LOG_LEVEL\n  valueFrom: plain\n'))
      .toBe(`env:\n- name: SECRET_TOKEN\n  valueFrom: ${REDACTED}\n- name: LOG_LEVEL\n  valueFrom: plain\n`);
    expect(redactSecrets('kind: Deployment\nenv: [{"name": "SECRET_TOKEN", "valueFrom": "from-s3cret"}]\n')).not.toContain('from-s3cret');
  });

  it('takes only a map holding a value or valueFrom for an env entry: a container or metadata named like a secret keeps what it holds', () => {
    const container = { name: 'token-refresher', image: 'r/refresher:1', args: ['--every', '5m'] };
    expect(redactSecrets({ containers: [container], metadata: { name: 'api-token', namespace: 'prod' } }))
      .toEqual({ containers: [container], metadata: { name: 'api-token', namespace: 'prod' } });
  });

  it('shows a sealed value\'s token as [redacted], wherever it stands: equal secrets seal to equal tokens', () => {
    const token = `slipway-sealed:${'A'.repeat(43)}`;
    expect(redactSecrets({ annotations: { repo: `https://alice:"${token}"@git.example.com/x.git`, note: `kept ${token} here`, owner: 'team-a' } }))
      .toEqual({ annotations: { repo: `https://alice:${REDACTED}@git.example.com/x.git`, note: `kept ${REDACTED} here`, owner: 'team-a' } });
  });
});
