import { firstDifference, sortKeysDeep, structurallyEqual } from './structural';

describe('structural comparison', () => {
  it('given maps with keys in another order, then they are equal', () => {
    expect(structurallyEqual({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
  });

  it('given lists in another order, then they differ at the first index', () => {
    expect(firstDifference({ l: [1, 2] }, { l: [2, 1] })).toBe('/l/0');
  });

  it('given a missing key, then the difference names it, escaped', () => {
    expect(firstDifference({ m: { 'a/b': 1 } }, { m: {} })).toBe('/m/a~1b');
    expect(structurallyEqual(1, '1')).toBe(false);
  });

  it('given nested maps, then sortKeysDeep sorts every level and keeps list order', () => {
    const sorted = sortKeysDeep({ b: 1, a: [{ z: 1, y: 2 }, 3] });
    expect(JSON.stringify(sorted)).toBe('{"a":[{"y":2,"z":1},3],"b":1}');
  });
});
