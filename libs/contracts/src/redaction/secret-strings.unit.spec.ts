import { secretStringsOf, withoutSecretStrings } from './secret-strings';

const deployment = (env: unknown[]) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', labels: { app: 'api' } },
  spec: { template: { spec: { containers: [{ name: 'api', image: 'r/api:1', env }] } } },
});

describe('secretStringsOf', () => {
  it('finds the secret values of a manifest by the redaction rules, and nothing else', () => {
    const secrets = secretStringsOf(deployment([
      { name: 'DB_PASSWORD', value: 'env-s3cret' },
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DATABASE_URL', value: 'postgres://app:url-s3cret@db/app' },
    ]));
    expect([...secrets].sort()).toEqual(['env-s3cret', 'postgres://app:url-s3cret@db/app']);
  });

  it('takes every leaf under a secret position whatever its shape: a map where a string belongs, a number', () => {
    const secrets = secretStringsOf(deployment([
      { name: 'DB_PASSWORD', value: { inner: 'map-s3cret', deeper: [{ again: 'list-s3cret' }], flag: true } },
      { name: 'SMTP_PASSWORD', value: 482913 },
      { name: 'SECRET_TOKEN', valueFrom: 'from-s3cret' },
    ]));
    expect([...secrets].sort()).toEqual(['482913', 'from-s3cret', 'list-s3cret', 'map-s3cret']);
  });

  it('takes text past the parse bound whole when it may hold documents (only its structure may tell a password, as an escaped key does), and a long line of prose not', () => {
    const file = `"pass\\x77ord": long-file-s3cret\n${Array.from({ length: 5_000 }, (_, i) => `setting_${i}: v-${i}`).join('\n')}\n`;
    expect(file.length).toBeGreaterThan(64 * 1024);
    const prose = 'a long note '.repeat(7_000);
    const secrets = secretStringsOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files', annotations: { note: prose } }, data: { 'app.yaml': file } });
    expect([...secrets]).toEqual([file]);
  });

  it('finds a Secret\'s values, under data and stringData', () => {
    const secrets = secretStringsOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' }, stringData: { user: 'admin-7f2' } });
    expect([...secrets].sort()).toEqual(['aHVudGVyMg==', 'admin-7f2']);
  });
});

describe('withoutSecretStrings', () => {
  const refusal = 'failed to create typed patch object (ns/api; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="api"].env[name="DB_PASSWORD"].value: '
    + 'expected string, got &value.valueUnstructured{Value:map[string]interface {}{"inner":"map-s3cret"}}';

  it('replaces every occurrence of each secret, keeping what the message says was wrong', () => {
    expect(withoutSecretStrings(refusal, ['map-s3cret'])).toBe(refusal.replace('map-s3cret', '[redacted]'));
    expect(withoutSecretStrings('a map-s3cret and map-s3cret', new Set(['map-s3cret']))).toBe('a [redacted] and [redacted]');
  });

  it('finds a secret as a quoted string escapes it', () => {
    const secret = 'quote"and\\slash\nline';
    const quoted = `got "${JSON.stringify(secret).slice(1, -1)}" here`;
    expect(withoutSecretStrings(quoted, [secret])).toBe('got "[redacted]" here');
  });

  it('hides a longer secret whole when a shorter one lies inside it, and matches nothing inside the mask', () => {
    expect(withoutSecretStrings('x outer-s3cret-tail y', ['s3cret', 'outer-s3cret-tail'])).toBe('x [redacted] y');
    expect(withoutSecretStrings('a dact-s3cret b', ['dact-s3cret', 'dact'])).toBe('a [redacted] b');
  });

  it('leaves values shorter than four characters (they occur in any message and hide nothing)', () => {
    expect(withoutSecretStrings('spec.replicas: v1 app 42', ['v1', 'app', '42'])).toBe('spec.replicas: v1 app 42');
    expect(withoutSecretStrings('pin 4829 refused', ['4829'])).toBe('pin [redacted] refused');
  });

  it('treats a secret as text, not as a pattern', () => {
    expect(withoutSecretStrings('a.b*c and aXbbc', ['a.b*c'])).toBe('[redacted] and aXbbc');
  });
});
