import { parse } from 'yaml';
import { faithfulYamlText, jsonReadableAsYaml } from './yaml-writing';

/** A YAML answer (or a stored config) must read back as what was written: a GET's document PUT back is the same document. */
describe('YAML text that reads back as its value', () => {
  const readBack = (value: unknown) => parse(faithfulYamlText(value)) as unknown;

  it('keeps the strings the writer misfolded (a probe: a GET put back changed them)', () => {
    for (const text of [
      // a folded block whose first line is indented further: its spaces read back as a line break
      '  indented text that is long enough to be folded by the YAML writer at about eighty columns wide\nsecond line',
      // a kept block of blanks, written without its indentation: read back as a lone line break
      ' \n',
      // a double-quoted string broken at an escaped space: read back with a backslash
      `x\t${' y'.repeat(50)} \n \n z`,
    ]) {
      expect(readBack({ metadata: { annotations: { a: text } } })).toEqual({ metadata: { annotations: { a: text } } });
    }
  });

  it('reads back every string of blanks, breaks, quotes and words, at any depth (generated)', () => {
    const alphabet = [' ', ' ', ' ', '\n', '\t', 'a', 'b', 'word ', 'a longer run of words to pass the width ', '\\', '"', "'", '#', ': ', '- ', '\u0085', 'é', '\r', '{', '|', '>'];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const differing: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const length = next(3) === 0 ? next(200) : next(30);
      let text = ['', ' ', '  ', '\n'][next(4)]!;
      for (let j = 0; j < length; j++) text += alphabet[next(alphabet.length)];
      const value = { key: text, list: [{ deeper: { deepest: text } }], [text]: 1 };
      if (JSON.stringify(readBack(value)) !== JSON.stringify(value)) differing.push(text);
    }
    expect(differing).toEqual([]);
  });

  it('writes what reads back plainly as the writer writes it, and leaves out undefined members as JSON does', () => {
    expect(faithfulYamlText({ kind: 'DeploymentTarget', metadata: { name: 'a', labels: { x: 'y' } }, spec: { kubernetes: { namespace: 'b' } } }))
      .toBe('kind: DeploymentTarget\nmetadata:\n  name: a\n  labels:\n    x: y\nspec:\n  kubernetes:\n    namespace: b\n');
    expect(faithfulYamlText({ a: 1, b: undefined, c: [1, 'two'] })).toBe('a: 1\nc:\n  - 1\n  - two\n');
  });
});

describe('jsonReadableAsYaml', () => {
  it('writes what YAML does not hold raw as JSON escapes: JSON and YAML readers read the same value', () => {
    const value = { del: 'a\u007fb', nel: 'a\u0085b', csi: 'a\u009bb', noncharacter: 'a\ufffeb', separators: 'a\u2028b\u2029c', kept: 'é\u00a0€' };
    const text = jsonReadableAsYaml(JSON.stringify(value));
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufffe\uffff]/);
    expect(JSON.parse(text)).toEqual(value);
    expect(parse(text)).toEqual(value);
  });
});
