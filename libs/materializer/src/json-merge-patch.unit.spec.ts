import { jsonMergePatch } from './json-merge-patch';
import type { JsonValue } from './json';

// RFC 7386 Appendix A, every example.
const appendixA: [JsonValue, JsonValue, JsonValue][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('RFC 7386 JSON merge patch', () => {
  it.each(appendixA)('given %j, when patched with %j, then %j', (target, patch, expected) => {
    expect(jsonMergePatch(target, patch)).toEqual(expected);
  });

  it('given a target, when merged, then neither input changes', () => {
    const target = { a: { b: 1 }, list: [1] };
    const patch = { a: { c: 2 }, list: [2] };
    const result = jsonMergePatch(target, patch) as { a: Record<string, number> };
    result.a.d = 4;
    expect(target).toEqual({ a: { b: 1 }, list: [1] });
    expect(patch).toEqual({ a: { c: 2 }, list: [2] });
  });

  it('given a __proto__ key in the patch, then it is refused and nothing is polluted', () => {
    expect(() => jsonMergePatch({}, JSON.parse('{"__proto__": {"polluted": 1}}')))
      .toThrow(expect.objectContaining({ code: 'unsafe-key', path: '/__proto__' }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('given $patch keys, then they are plain data (no SMP directives in RFC 7386)', () => {
    expect(jsonMergePatch({ a: 1 }, { $patch: 'delete' })).toEqual({ a: 1, $patch: 'delete' });
  });
});
