import { isByteField, storedBytes, withBytesAsStored } from './byte-fields';
import { diffRows } from './diff-rows';
import { digestWith, withSecretsDigested } from './secret-digests';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const configMap = (binaryData: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rd-cm' }, binaryData });
const secret = (data: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', data });
const webhooks = (caBundle: string) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'v' },
  webhooks: [{ name: 'v.example.com', clientConfig: { caBundle, service: { name: 's', namespace: 'n' } } }],
});

describe('storedBytes', () => {
  it('given base64 with line breaks, when stored, then it reads back as the API server encodes the same bytes', () => {
    expect(storedBytes('aGVs\nbG8=')).toBe('aGVsbG8=');
    expect(storedBytes('aGVs\r\nbG8=\n')).toBe('aGVsbG8=');
  });

  it('given what is not base64 or not a string, when stored, then it is kept as written', () => {
    expect(storedBytes('not base64!')).toBe('not base64!');
    expect(storedBytes(null)).toBe(null);
    expect(storedBytes(7)).toBe(7);
  });
});

describe('isByteField', () => {
  it('knows the []byte fields of the built-in kinds, and no field of another kind or place', () => {
    expect(isByteField({ apiVersion: 'v1', kind: 'Secret' }, ['data', 'tls.crt'])).toBe(true);
    expect(isByteField({ apiVersion: 'v1', kind: 'ConfigMap' }, ['binaryData', 'b'])).toBe(true);
    expect(isByteField({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' }, ['webhooks', 'clientConfig', 'caBundle'])).toBe(true);
    expect(isByteField({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService' }, ['spec', 'caBundle'])).toBe(true);
    expect(isByteField({ apiVersion: 'v1', kind: 'ConfigMap' }, ['data', 'b'])).toBe(false);
    expect(isByteField({ apiVersion: 'example.com/v1', kind: 'Secret' }, ['data', 'b'])).toBe(false);
  });
});

describe('diffRows of []byte values sent with line breaks (a probe found them drift right after a clean push)', () => {
  it('given a ConfigMap binaryData value with a line break, when the API server read it back joined, then there is no drift', () => {
    expect(diffRows(configMap({ b: 'aGVs\nbG8=' }), configMap({ b: 'aGVsbG8=' }))).toEqual([]);
  });

  it('given other bytes, when compared, then it is still drift', () => {
    expect(diffRows(configMap({ b: 'aGVs\nbG8=' }), configMap({ b: b64('help') }))).toEqual([{ key: 'binaryData.b', expected: 'aGVsbG8=', got: b64('help') }]);
  });

  it('given a webhook caBundle with line breaks, when read back joined, then there is no drift', () => {
    const pem = b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const wrapped = pem.replace(/(.{16})/g, '$1\n');
    expect(diffRows(webhooks(wrapped), webhooks(pem))).toEqual([]);
  });

  it('given a Secret data value with line breaks, when read back joined, then there is no drift, and a changed one shows no value', () => {
    const value = b64('a password long enough to wrap');
    const wrapped = `${value.slice(0, 20)}\n${value.slice(20)}`;
    expect(diffRows(secret({ password: wrapped }), secret({ password: value }))).toEqual([]);
    const rows = diffRows(secret({ password: wrapped }), secret({ password: b64('other') }));
    expect(rows).toEqual([{ key: 'data.password', expected: '***', got: '*** (differs)' }]);
    expect(JSON.stringify(rows)).not.toContain(value.slice(0, 20));
  });

  it('given a Secret or secret-named binaryData recorded as digests, when the live values are the same bytes without line breaks, then the digests agree', async () => {
    const digest = digestWith('a-test-key');
    const value = b64('a password long enough to wrap');
    const wrapped = `${value.slice(0, 20)}\n${value.slice(20)}`;
    for (const [applied, live] of [[secret({ password: wrapped }), secret({ password: value })], [configMap({ 'db-password': wrapped }), configMap({ 'db-password': value })]]) {
      const recorded = await withSecretsDigested(applied, digest);
      expect(JSON.stringify(recorded)).not.toContain(value.slice(0, 20));
      expect(diffRows(recorded, live, digest)).toEqual([]);
    }
  });

  it('given an object of a kind without []byte fields, when made as stored, then it is the same object', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };
    expect(withBytesAsStored(deployment, deployment)).toBe(deployment);
  });
});
