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
