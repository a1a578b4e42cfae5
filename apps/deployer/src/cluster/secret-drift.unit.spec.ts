import { diffRows, MISSING } from './diff-rows';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const secret = (fields: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', ...fields });

describe('diffRows of a Secret', () => {
  it('given stringData, when the live Secret holds it base64-encoded under data, then there is no drift', () => {
    const applied = secret({ stringData: { password: 'hunter2' }, data: { user: b64('ann') } });
    expect(diffRows(applied, secret({ data: { user: b64('ann'), password: b64('hunter2') } }))).toEqual([]);
  });

  it('given stringData and data with one key, when compared, then stringData wins, as the API server merges them', () => {
    const applied = secret({ stringData: { password: 'new' }, data: { password: b64('old') } });
    expect(diffRows(applied, secret({ data: { password: b64('new') } }))).toEqual([]);
  });

  it('given changed or missing values, when compared, then rows name the key and hide the values', () => {
    const applied = secret({ stringData: { password: 'hunter2', token: 'abc' }, data: { user: b64('ann') } });
    const rows = diffRows(applied, secret({ data: { user: b64('bob'), password: b64('other') } }));
    expect(rows).toEqual([
      { key: 'data.user', expected: '***', got: '*** (differs)' },
      { key: 'data.password', expected: '***', got: '*** (differs)' },
      { key: 'data.token', expected: '***', got: MISSING },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/hunter2|abc|ann|bob|other|aHVudGVyMg/);
  });

  it('given a live Secret without data, when compared, then the row hides the whole map', () => {
    const rows = diffRows(secret({ stringData: { password: 'hunter2' } }), secret({}));
    expect(rows).toEqual([{ key: 'data', expected: '***', got: MISSING }]);
  });

  it('given other fields of a Secret, when they differ, then they are shown as any field is', () => {
    expect(diffRows(secret({ type: 'kubernetes.io/tls' }), secret({}))).toEqual([{ key: 'type', expected: 'kubernetes.io/tls', got: 'Opaque' }]);
  });
});

describe('diffRows of a field named like an env entry', () => {
  const widget = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });

  it('given a map key that only looks like an env entry, its name no JSON string, when it differs, then it is a row shown as any field', () => {
    const key = 'env[name="\\q"]';
    expect(diffRows(widget({ [key]: 'a' }), widget({ [key]: 'b' }))).toEqual([{ key: `spec.${key}`, expected: 'a', got: 'b' }]);
  });

  it.each(['env[name="DB_PASSWORD"]', 'env[name="DB_PASSWORD\\q"]'])('given a map key %s, shaped like an env entry named like a secret, when it differs, then its values are hidden', (key) => {
    expect(diffRows(widget({ [key]: 'a' }), widget({ [key]: 'b' }))).toEqual([{ key: `spec.${key}`, expected: '***', got: '*** (differs)' }]);
  });
});
