import { cutShort, quoted } from './quoted';

describe('quoted', () => {
  it('quotes a short value as JSON', () => {
    expect(quoted('v2')).toBe('"v2"');
    expect(quoted({ a: 1 })).toBe('{"a":1}');
    expect(quoted(undefined)).toBe('undefined');
    expect(quoted(Infinity)).toBe('Infinity');
  });

  it('writes what a reader does not see, or sees acting on the text around it, as JSON escapes, as JSON writes C0 controls', () => {
    expect(quoted('\u202eevil')).toBe('"\\u202eevil"');
    expect(quoted('a\u200db\u0085c\u2028d\u00ade')).toBe('"a\\u200db\\u0085c\\u2028d\\u00ade"');
    expect(quoted({ name: 'x\u{e0001}' })).toBe('{"name":"x\\udb40\\udc01"}');
    // what is seen stays as it is
    expect(quoted('Zoë Ünal 名前 🚀')).toBe('"Zoë Ünal 名前 🚀"');
  });

  it('cuts a long value short, saying how long it was', () => {
    expect(quoted('x'.repeat(100_000))).toBe(`"${'x'.repeat(59)}… (100000 characters)`);
    // The string's own length, not its quoted text's (a 64-character name was said to be 66).
    expect(quoted(`${'n'.repeat(63)}"`)).toMatch(/… \(64 characters\)$/);
  });

  it('still answers for a value JSON cannot write: nested too deeply, or containing itself', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(quoted(deep)).toBe('a list');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(quoted(cyclic)).toBe('an object');
  });
});

describe('cutShort', () => {
  it('leaves short text alone, and cuts long text saying how long it was', () => {
    expect(cutShort('abc', 3)).toBe('abc');
    expect(cutShort('abcdef', 3)).toBe('abc… (6 characters)');
  });

  it('never cuts between the two halves of a character (a lone half cannot be stored)', () => {
    const emoji = '😀'.repeat(10);
    const cut = cutShort(`a${emoji}`, 4);
    expect(cut).toBe('a😀… (21 characters)');
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(quoted(`${'😀'.repeat(40)}`)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('quoted, a value holding a secret by its shape', () => {
  it('hides a URL\'s password and a token\'s secret before cutting the quote short (cut first, the URL lost the @ that ends its password)', () => {
    const value = { password: 'x', u: 'postgres://user:Sup3rSecretPw@db.example.com/x' };
    expect(quoted(value)).not.toContain('Sup3r');
    expect(quoted(value)).toContain('postgres://user:[redacted]@');
    expect(quoted(`slw_Ab3${'k'.repeat(40)}`)).toBe('"[redacted]"');
  });
});

describe('quoted, a value holding a secret under its name', () => {
  it('hides the values of secret-named keys, pairs and lines in what was sent (a map where a text belongs, say)', () => {
    expect(quoted({ password: 'IdPwAAA' })).not.toContain('IdPwAAA');
    expect(quoted({ 'api-key': 'CaObjPw', name: 'web' })).toContain('"name":"web"');
    expect(quoted({ 'api-key': 'CaObjPw', name: 'web' })).not.toContain('CaObjPw');
    expect(quoted(['password=MaPw2'])).not.toContain('MaPw2');
    expect(quoted(['db-password: St1Pw'])).not.toContain('St1Pw');
    expect(quoted({ env: [{ name: 'DB_PASSWORD', value: 'zz9' }] })).not.toContain('zz9');
    expect(quoted('run --token abc123')).not.toContain('abc123');
    expect(quoted({ replicas: 'three' })).toBe('{"replicas":"three"}');
  });
});
