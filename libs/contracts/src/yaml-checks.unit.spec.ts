import { parseDocument } from 'yaml';
import { cyclicAliasIn, duplicateKeyIn, duplicateKeyShown, parseCheckedYaml } from './yaml-checks';

const doc = (text: string) => parseDocument(text, { uniqueKeys: false });

describe('duplicateKeyIn', () => {
  it.each([
    ['a block map', 'a: 1\nb: 2\na: 3\n', 'a'],
    ['a flow map', 'x: {k: 1, k: 2}\n', 'k'],
    ['a map in a sequence', 'list:\n- {n: 1}\n- {n: 1, n: 2}\n', 'n'],
    ['numbers written two ways', '1: a\n0x1: b\n', 1],
    ['a number and its text, one key in JSON', 'labels: {1: x, "1": y}\n', '1'],
    ['a boolean and its text', 'true: x\n"true": y\n', 'true'],
    ['two NaN keys, one "NaN" in JSON', '.nan: a\n.NaN: b\n', Number.NaN],
    ['null and the empty text, one "" in JSON', '? null\n: a\n"": b\n', ''],
  ])('finds the second key of %s', (_, text, key) => {
    expect((duplicateKeyIn(doc(text)) as { value?: unknown })?.value).toBe(key);
  });

  it.each([
    ['an alias standing for a key given before', 'a: &k name\nname: 1\n*k : 2\n', 'name'],
    ['an anchored key given again as its alias', '&k name: 1\n*k : 2\n', 'name'],
    ['an alias standing for a list, given twice (read as its own text)', 'k: &k [a]\nm: {*k : 1, z: &k [b], *k : 2}\n', '*k'],
    ['an alias standing for a list, and its text', 'x: &k [1]\nm:\n  *k : a\n  "*k": b\n', '*k'],
  ])('finds %s, named as it reads', (_, text, key) => {
    const parsed = doc(text);
    const twice = duplicateKeyIn(parsed);
    expect(twice).toBeDefined();
    expect(duplicateKeyShown(parsed, twice!).key).toBe(key);
  });

  it.each([
    ['metadata:\n  name: a\n  name: b\n', 'name', 'metadata.name'],
    ['spec:\n  containers:\n  - {name: a}\n  - {name: b, image: x, image: y}\n', 'image', 'spec.containers[1].image'],
    ['- a: 1\n  a: 2\n', 'a', '[0].a'],
    ['x: [[{k: 1, k: 2}]]\n', 'k', 'x[0][0].k'],
  ])('names the key given twice in %j and where its map is', (text, key, field) => {
    const parsed = doc(text);
    expect(duplicateKeyShown(parsed, duplicateKeyIn(parsed)!)).toEqual({ key, field });
  });

  it('does not compare map or list keys, whose text as the library reads them costs more than the document (nested 28 deep: 4 s, 1 GB)', () => {
    const nested = (n: number) => `${'{'.repeat(n)}a: 1${'}: 1'.repeat(n - 1)}}`;
    expect(duplicateKeyIn(doc(nested(40)))).toBeUndefined();
    expect(duplicateKeyIn(doc('? {a: 1}\n: 1\n? {"a": 1}\n: 2\n'))).toBeUndefined();
  });

  it('names a key given twice deep under alias keys with one walk (each alias resolved on its own walked the document)', () => {
    // 300 deep: the library's parser gives up (RESOURCE_EXHAUSTION) near 800 at Node's default
    // stack, sooner or later by how much of it the caller already holds.
    const deep = doc(`a: &k name\nm: ${'{*k : '.repeat(300)}{x: 1, x: 2}${'}'.repeat(300)}\n`);
    expect(deep.errors).toEqual([]);
    const twice = duplicateKeyIn(deep)!;
    const shown = duplicateKeyShown(deep, twice);
    expect(shown.key).toBe('x');
    expect(shown.field).toBe(`m.${'name.'.repeat(300)}x`);
  });

  it.each([
    ['keys in different maps', 'a: {k: 1}\nb: {k: 2}\n'],
    ['null and the text "null" (null reads as "")', '? null\n: a\n"null": b\n'],
    ['a number and a text alike only once read (1.0 is 1)', '1.0: a\n"1.0": b\n'],
  ])('finds none in %s', (_, text) => {
    expect(duplicateKeyIn(doc(text))).toBeUndefined();
  });

  it('finds none in two merge keys under YAML 1.1, nor in timestamps of two seconds; finds timestamps of one second, one key in JSON (a Date\'s text)', () => {
    const yaml11 = (text: string) => parseDocument(text, { uniqueKeys: false, version: '1.1', merge: true });
    expect(duplicateKeyIn(yaml11('a: &x {k: 1}\nb: &y {j: 2}\nc:\n  <<: *x\n  <<: *y\n'))).toBeUndefined();
    expect(duplicateKeyIn(yaml11('2001-12-14t21:59:43.10-05:00: a\n2001-12-14t21:59:44.10-05:00: b\n'))).toBeUndefined();
    expect(duplicateKeyIn(yaml11('2001-12-14t21:59:43.10-05:00: a\n2001-12-14t21:59:43.20-05:00: b\n'))).toBeDefined();
    expect(duplicateKeyIn(yaml11('2001-12-14: a\n2001-12-14 00:00:00Z: b\n'))).toBeDefined();
    expect(duplicateKeyIn(doc('a:\n  !!timestamp 2001-12-14: x\n  !!timestamp 2001-12-14: y\n'))).toBeDefined();
    for (const text of ['a: &x {k: 1}\nb: &y {j: 2}\nc:\n  <<: *x\n  <<: *y\n', '.nan: a\n.NaN: b\n']) {
      expect(parseDocument(text, { uniqueKeys: true, version: '1.1', merge: true }).errors).toEqual([]);
    }
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
