import { diffRows, MISSING } from './diff-rows';
import { digestWith, isDigest, withSecretsDigested } from './secret-digests';
import { HIDDEN, HIDDEN_DIFFERENT } from './secret-drift';

const digest = digestWith('a-test-key');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const secret = {
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque',
  data: { password: b64('hunter2'), empty: '' }, stringData: { username: 'admin' },
};
const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:1', env: [
    { name: 'API_KEY', value: 'key-123' }, { name: 'LOG_LEVEL', value: 'debug' }, { name: 'DATABASE_URL', value: 'postgres://u:pw-9@db/app' },
  ] }] } } },
};

describe('withSecretsDigested', () => {
  it('finds no drift in lists recorded under a secret\'s key, matched by their digested merge keys (a probe found imagePullSecrets and a ServiceAccount\'s secrets reported missing)', async () => {
    const pulling = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ips' }, spec: { template: { spec: { imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'm', image: 'm:1' }] } } } };
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' }, secrets: [{ name: 'sa-tok' }], imagePullSecrets: [{ name: 'regcred' }] };
    for (const applied of [pulling, account]) {
      const recorded = await withSecretsDigested(applied, digest);
      expect(JSON.stringify(recorded)).not.toMatch(/regcred|sa-tok/);
      expect(diffRows(recorded, applied, digest)).toEqual([]);
    }
    // A live list holding another name: the applied one is missing, its name not shown.
    const other = { ...account, secrets: [{ name: 'other-tok' }] };
    expect(diffRows(await withSecretsDigested(account, digest), other, digest)).toEqual([
      { key: `secrets[name="${digest('sa-tok')}"]`, expected: JSON.stringify({ name: digest('sa-tok') }), got: MISSING },
    ]);
  });

  it('records a Secret as stored, each value a digest, empty ones as they are', async () => {
    const recorded = (await withSecretsDigested(secret, digest));
    expect(recorded).toEqual({ ...secret, stringData: undefined, data: { password: digest(b64('hunter2')), empty: '', username: digest(b64('admin')) } } as unknown);
    expect(JSON.stringify(recorded)).not.toMatch(/hunter2|aHVudGVy|admin|YWRtaW4/);
  });

  it('records secret env values and strings holding a password as digests, and leaves the rest', async () => {
    const recorded = JSON.stringify((await withSecretsDigested(deployment, digest)));
    expect(recorded).not.toMatch(/key-123|pw-9/);
    expect(recorded).toContain('"LOG_LEVEL","value":"debug"');
    expect(recorded).toContain('"image":"web:1"');
    expect(recorded).toContain('"replicas":2');
  });

  it('records a ConfigMap\'s file past the reads\' parse bound as a digest when only its structure tells a secret (a key spelled with an escape)', async () => {
    const file = `auth:\n  "pass\\u0077ord": LargeFileSecret41\n${Array.from({ length: 4_000 }, (_, i) => `key${i}: value-${i}`).join('\n')}\n`;
    expect(file.length).toBeGreaterThan(64 * 1024);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files' }, data: { 'app.yaml': file, 'plain.yaml': file.replace('pass\\u0077ord', 'user') } };
    const recorded = (await withSecretsDigested(configMap, digest)) as { data: Record<string, string> };
    expect(recorded.data['app.yaml']).toBe(digest(file));
    expect(recorded.data['plain.yaml']).toContain('"user": LargeFileSecret41');
  });

  it('records a value under a name the text rules take for a secret\'s (dbpwd, sentrydsn) as a digest, as those rules seal it in a config\'s text', async () => {
    const annotated = { ...deployment, metadata: { name: 'web', annotations: { dbpwd: 'PatchDbpwd5521', sentrydsn: 'https://k@o.example/1', owner: 'team-a' } } };
    const recorded = JSON.stringify((await withSecretsDigested(annotated, digest)));
    expect(recorded).not.toMatch(/PatchDbpwd5521|k@o\.example/);
    expect(recorded).toContain('"owner":"team-a"');
  });

  it('gives the same digest for a value with one key, another with another key', async () => {
    expect(isDigest(digest('x'))).toBe(true);
    expect(digest('x')).toBe(digest('x'));
    expect(digestWith('another-key')('x')).not.toBe(digest('x'));
  });
});

describe('diffRows of a manifest recorded with digests', () => {
  it('given the live values the digests stand for, when compared, then there is no drift', async () => {
    const liveSecret = { ...secret, stringData: undefined, data: { password: b64('hunter2'), empty: '', username: b64('admin') }, metadata: { name: 'db', uid: 'u' } };
    expect(diffRows((await withSecretsDigested(secret, digest)), liveSecret, digest)).toEqual([]);
    expect(diffRows((await withSecretsDigested(deployment, digest)), deployment, digest)).toEqual([]);
  });

  it('given maps under secret-named keys, when the API server added defaults and reordered them, then there is no drift', async () => {
    const applied = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { template: { spec: {
        volumes: [{ name: 'db', secret: { secretName: 'db' } }, { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
        containers: [{ name: 'web', image: 'web:1', env: [{ name: 'PASS', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }],
      } } },
    };
    const live = structuredClone(applied) as typeof applied & Record<string, unknown>;
    live.spec.template.spec.volumes = [
      { name: 'db', secret: { secretName: 'db', defaultMode: 420 } as never },
      { name: 'tok', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } as never }] } },
    ];
    live.spec.template.spec.containers[0]!.env[0]!.valueFrom.secretKeyRef = { key: 'password', name: 'db' };
    expect(diffRows((await withSecretsDigested(applied, digest)), live, digest)).toEqual([]);
    live.spec.template.spec.containers[0]!.env[0]!.valueFrom.secretKeyRef = { key: 'other', name: 'db' };
    expect(diffRows((await withSecretsDigested(applied, digest)), live, digest)).toEqual([
      { key: 'spec.template.spec.containers[name="web"].env[name="PASS"].valueFrom.secretKeyRef.key', expected: HIDDEN, got: HIDDEN_DIFFERENT },
    ]);
  });

  it('given a manifest recorded before digests (values in clear), when a secret field differs, then the row shows neither value', async () => {
    const changed = structuredClone(deployment);
    changed.spec.template.spec.containers[0]!.env[0]!.value = 'key-456';
    changed.spec.template.spec.containers[0]!.env[1]!.value = 'warn';
    expect(diffRows(deployment, changed, digest)).toEqual([
      { key: 'spec.template.spec.containers[name="web"].env[name="API_KEY"].value', expected: HIDDEN, got: HIDDEN_DIFFERENT },
      { key: 'spec.template.spec.containers[name="web"].env[name="LOG_LEVEL"].value', expected: 'debug', got: 'warn' },
    ]);
    expect(diffRows({ apiVersion: 'v1', kind: 'ConfigMap', data: { DB_PASSWORD: 'a', 'db-password.txt': 'b' } }, { apiVersion: 'v1', kind: 'ConfigMap', data: {} })).toEqual([
      { key: 'data.DB_PASSWORD', expected: HIDDEN, got: MISSING },
      { key: 'data.db-password.txt', expected: HIDDEN, got: MISSING },
    ]);
    const gone = structuredClone(deployment);
    gone.spec.template.spec.containers[0]!.env.splice(0, 1);
    expect(diffRows(deployment, gone, digest)).toEqual([
      { key: 'spec.template.spec.containers[name="web"].env[name="API_KEY"]', expected: HIDDEN, got: MISSING },
    ]);
  });

  it('given changed or removed secret values, when compared, then the rows say so and show neither value', async () => {
    const liveSecret = { ...secret, stringData: undefined, data: { password: b64('changed'), empty: '' } };
    expect(diffRows((await withSecretsDigested(secret, digest)), liveSecret, digest)).toEqual([
      { key: 'data.password', expected: HIDDEN, got: HIDDEN_DIFFERENT },
      { key: 'data.username', expected: HIDDEN, got: MISSING },
    ]);
    const changed = structuredClone(deployment);
    changed.spec.template.spec.containers[0]!.env[0]!.value = 'key-456';
    expect(diffRows((await withSecretsDigested(deployment, digest)), changed, digest)).toEqual([
      { key: 'spec.template.spec.containers[name="web"].env[name="API_KEY"].value', expected: HIDDEN, got: HIDDEN_DIFFERENT },
    ]);
  });
});
