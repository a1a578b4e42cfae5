import { withoutSentSecrets } from './sent-secrets';

const sent = JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
  spec: { template: { spec: { containers: [{ name: 'api', image: 'r/api:1', env: [{ name: 'DB_PASSWORD', value: { inner: 'map-s3cret' } }, { name: 'LOG_LEVEL', value: 'debug' }] }] } } },
});
const message = 'failed to create typed patch object (ns/api; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="api"].env[name="DB_PASSWORD"].value: '
  + 'expected string, got &value.valueUnstructured{Value:map[string]interface {}{"inner":"map-s3cret"}}';

describe('withoutSentSecrets', () => {
  it('clears the secrets of what was sent from every string of the answer, and keeps the rest', () => {
    const status = { kind: 'Status', code: 500, message, details: { causes: [{ field: 'env', message: `got map-s3cret; level debug` }] } };
    expect(withoutSentSecrets(status, sent)).toEqual({
      kind: 'Status', code: 500,
      message: message.replace('map-s3cret', '[redacted]'),
      details: { causes: [{ field: 'env', message: 'got [redacted]; level debug' }] },
    });
    expect(withoutSentSecrets(message, sent)).toBe(message.replace('map-s3cret', '[redacted]'));
  });

  it('leaves the answer as it came when nothing sent was secret, or nothing was sent', () => {
    const status = { message: 'quoted r/api:1' };
    expect(withoutSentSecrets(status, JSON.stringify({ kind: 'ConfigMap', data: { a: 'r/api:1' } }))).toBe(status);
    expect(withoutSentSecrets(status, undefined)).toBe(status);
    expect(withoutSentSecrets(status, 'not json')).toBe(status);
  });
});
