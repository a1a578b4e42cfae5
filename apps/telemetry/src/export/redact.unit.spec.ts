import { redact, REDACTED, redactLogMessage } from './redact';

describe('redact', () => {
  it('redacts secret-looking keys at any depth', () => {
    expect(redact({ a: 1, password: 'p', nested: [{ apiKey: 'k', Token: 't', client_secret: 's', ok: 'v' }] }))
      .toEqual({ a: 1, password: REDACTED, nested: [{ apiKey: REDACTED, Token: REDACTED, client_secret: REDACTED, ok: 'v' }] });
  });
  it('redacts secret lines inside config text', () => {
    expect(redact({ config: 'kind: ConfigMap\ndata:\n  DB_PASSWORD: hunter2\n  LOG_LEVEL: INFO\nAPI_TOKEN=abc\n' }))
      .toEqual({ config: `kind: ConfigMap\ndata:\n  DB_PASSWORD: ${REDACTED}\n  LOG_LEVEL: INFO\nAPI_TOKEN=${REDACTED}\n` });
  });
  it('redacts the value of an env entry named like a secret, as object and as YAML', () => {
    expect(redact({ env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'LOG_LEVEL', value: 'INFO' }] }))
      .toEqual({ env: [{ name: 'DB_PASSWORD', value: REDACTED }, { name: 'LOG_LEVEL', value: 'INFO' }] });
    expect(redact('env:\n- name: DB_PASSWORD\n  value: hunter2\n- name: LOG_LEVEL\n  value: INFO\n'))
      .toBe(`env:\n- name: DB_PASSWORD\n  value: ${REDACTED}\n- name: LOG_LEVEL\n  value: INFO\n`);
  });
  it('redacts secret pairs and bearer credentials anywhere in a log message', () => {
    expect(redactLogMessage('level=info user=bob password=hunter2 msg="login ok"')).toBe(`level=info user=bob password=${REDACTED} msg="login ok"`);
    expect(redactLogMessage('{"api_key": "k-1", "n": 1}')).toBe(`{"api_key": ${REDACTED}, "n": 1}`);
    expect(redactLogMessage('GET / Authorization: Bearer abc.def')).not.toContain('abc.def');
    expect(redactLogMessage('served 200 in 3ms')).toBe('served 200 in 3ms');
  });
});
