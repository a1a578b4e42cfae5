import { withoutSentSecrets } from './sent-secrets';
import { statusError } from './status-error';

const sent = (env: Array<{ name: string; value: unknown }>) => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
  spec: { template: { spec: { containers: [{ name: 'api', image: 'r/api:1', env }] } } },
});
const message = 'failed to create typed patch object (ns/api; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="api"].env[name="DB_PASSWORD"].value: '
  + 'expected string, got &value.valueUnstructured{Value:map[string]interface {}{"inner":"map-s3cret"}}';

describe('withoutSentSecrets', () => {
  it('clears the secrets of what was sent from the error\'s messages, and keeps the rest', () => {
    const body = sent([{ name: 'DB_PASSWORD', value: { inner: 'map-s3cret' } }, { name: 'LOG_LEVEL', value: 'debug' }]);
    const error = statusError(422, { kind: 'Status', code: 422, message, details: { causes: [{ field: 'env', reason: 'FieldValueInvalid', message: 'got map-s3cret; level debug' }] } });
    expect(withoutSentSecrets(error, body)).toEqual({
      kind: 'invalid', message: expect.stringContaining('{"inner":"[redacted]"}'),
      causes: [{ field: 'env', reason: 'FieldValueInvalid', message: 'got [redacted]; level debug' }],
    });
  });

  it('classifies the answer as it came: a secret that happens to be a word of the message changes neither its kind nor what it says of a field', () => {
    // "typed" is what tells a refused object (SSA's schema error, answered 500) from a server fault
    const typed = withoutSentSecrets(statusError(500, { message: 'failed to create typed patch object: bad' }), sent([{ name: 'API_TOKEN', value: 'typed' }]));
    expect(typed).toMatchObject({ kind: 'invalid', message: 'failed to create [redacted] patch object: bad' });
    // "table" is part of "immutable", what tells a Job to replace from one to leave refused
    const immutable = withoutSentSecrets(
      statusError(422, { message: 'Job.batch "m" is invalid', details: { causes: [{ field: 'spec.completions', reason: 'FieldValueInvalid', message: 'field is immutable' }] } }),
      sent([{ name: 'DB_PASSWORD', value: 'table' }]),
    );
    expect(immutable).toMatchObject({ kind: 'invalid', causes: [{ field: 'spec.completions', immutable: true, message: 'field is immu[redacted]' }] });
  });

  it('clears a Secret\'s values in the forms the API server holds them: `stringData` as base64, `data` decoded', () => {
    const body = JSON.stringify({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app' },
      stringData: { DB_PASSWORD: 'Second-Secret-Value-777' }, data: { API_TOKEN: Buffer.from('third-s3cret-value').toString('base64') },
    });
    const quoted = `denied request: plain=${Buffer.from('Second-Secret-Value-777').toString('base64')}; token=third-s3cret-value`;
    expect(withoutSentSecrets(statusError(422, { message: quoted }), body)).toMatchObject({ message: 'denied request: plain=[redacted]; token=[redacted]' });
  });

  it('leaves the error as it came when nothing sent was secret, or nothing was sent', () => {
    const error = statusError(404, { message: 'quoted r/api:1' });
    expect(withoutSentSecrets(error, JSON.stringify({ kind: 'ConfigMap', data: { a: 'r/api:1' } }))).toBe(error);
    expect(withoutSentSecrets(error, undefined)).toBe(error);
    expect(withoutSentSecrets(error, 'not json')).toBe(error);
  });

  it('clears a long file of what was sent, secret by its structure alone, keeping the kind (a pattern of it was too large for a regular expression: the message quoted the file)', () => {
    const file = `"pass\\x77ord": long-s3cret\n${Array.from({ length: 5_000 }, (_, i) => `setting_${i}: v-${i}`).join('\n')}\n`;
    expect(file.length).toBeGreaterThan(64 * 1024);
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files' }, data: { 'app.yaml': file } });
    for (const [status, kind] of [[422, 'invalid'], [503, 'transient'], [409, 'conflict'], [429, 'transient']] as const) {
      const error = withoutSentSecrets(statusError(status, { kind: 'Status', code: status, message: `ConfigMap "files" is refused: data[app.yaml]: ${JSON.stringify(file)}` }), body);
      expect(error.kind).toBe(kind);
      expect(error.message).toBe('ConfigMap "files" is refused: data[app.yaml]: "[redacted]"');
    }
  });
});
