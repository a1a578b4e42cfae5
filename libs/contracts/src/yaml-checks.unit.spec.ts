import { parseDocument } from 'yaml';
import { cyclicAliasIn, duplicateKeyIn, parseCheckedYaml } from './yaml-checks';

const doc = (text: string) => parseDocument(text, { uniqueKeys: false });

describe('duplicateKeyIn', () => {
  it.each([
    ['a block map', 'a: 1\nb: 2\na: 3\n', 'a'],
    ['a flow map', 'x: {k: 1, k: 2}\n', 'k'],
    ['a map in a sequence', 'list:\n- {n: 1}\n- {n: 1, n: 2}\n', 'n'],
    ['numbers written two ways', '1: a\n0x1: b\n', 1],
  ])('finds the second key of %s', (_, text, key) => {
    expect((duplicateKeyIn(doc(text)) as { value?: unknown })?.value).toBe(key);
  });

  it.each([
    ['keys in different maps', 'a: {k: 1}\nb: {k: 2}\n'],
    ['a string and a number alike in text', '"1": a\n1: b\n'],
    ['null and the text "null"', '? null\n: a\n"null": b\n'],
  ])('finds none in %s', (_, text) => {
    expect(duplicateKeyIn(doc(text))).toBeUndefined();
  });
});

describe('cyclicAliasIn', () => {
  it('finds an alias inside the node its anchor names', () => {
    expect(cyclicAliasIn(doc('a: &x [1, *x]\n'))?.source).toBe('x');
    expect(cyclicAliasIn(doc('a: &x {b: {c: *x}}\n'))?.source).toBe('x');
  });

  it('finds none where an alias names an earlier sibling, or an anchor named again since', () => {
    expect(cyclicAliasIn(doc('a: &x [1]\nb: *x\n'))).toBeUndefined();
    // *x names the last node anchored x before it: the scalar, not the sequence holding it.
    expect(cyclicAliasIn(doc('a: &x [&x 1, *x]\n'))).toBeUndefined();
  });
});

describe('parseCheckedYaml', () => {
  it('reads what was checked, keeping the last of a key given twice (intake refuses such text)', () => {
    expect(parseCheckedYaml('a: 1\nb: [x]\n')).toEqual({ a: 1, b: ['x'] });
    expect(parseCheckedYaml('a: 1\na: 2\n')).toEqual({ a: 2 });
  });
});
