import type { FastifyRequest } from 'fastify';
import { parse } from 'yaml';
import { heavierThan, wantsYaml } from './respond';
import { yamlText } from './yaml-text';

const accepting = (accept?: string) => ({ headers: accept === undefined ? {} : { accept } }) as FastifyRequest;

describe('wantsYaml', () => {
  it.each([
    ['application/yaml', true],
    ['text/yaml', true],
    ['application/x-yaml, application/json;q=0.5', true],
    ['application/yaml, */*', true],
    [undefined, false],
    ['*/*', false],
    ['application/json, application/yaml', false],
    // q=0 is "not acceptable"; a lower q is a lower preference.
    ['application/yaml;q=0', false],
    ['application/yaml;q=0.1, application/json;q=0.9', false],
    ['application/json;q=0.2, application/yaml;q=0.8', true],
    ['application/yaml; q=0.5, */*;q=0.4', true],
    ['application/yaml;q=abc', false],
    // the most specific range decides: JSON refused outright, YAML reached through text/*
    ['application/json;q=0, */*', true],
    ['text/*', true],
    ['text/*;q=0.5, application/json', false],
  ])('Accept %s → YAML %s', (accept, yaml) => {
    expect(wantsYaml(accepting(accept))).toBe(yaml);
  });
});

describe('yamlText', () => {
  it('writes strings a YAML 1.1 reader would take for booleans, numbers or dates quoted, so both versions read them back as text', () => {
    const labels = { a: 'yes', b: 'on', c: 'N', d: '1_000', e: '2024-01-01', f: '0o17', g: '1:20', h: 'true', i: '0x1F', j: '+.5', k: '2001-12-14\t21:59:43' };
    const text = yamlText({ labels, plain: 'plain text', yesterday: 'yes sir', n: 3, ok: true, none: null });
    expect(text).toContain('a: "yes"\n');
    expect(text).toContain('plain: plain text\n');
    expect(text).toContain('yesterday: yes sir\n');
    for (const version of ['1.1', '1.2'] as const) {
      expect(parse(text, { version })).toEqual({ labels, plain: 'plain text', yesterday: 'yes sir', n: 3, ok: true, none: null });
    }
  });

  it('quotes the value and merge keys, and escapes YAML 1.1\'s own line breaks, which a 1.1 reader refuses or folds into a space', () => {
    const annotations = { value: '=', merge: '<<', nel: 'x\u0085y', ls: 'p\u2028q', ps: 'q\u2029', '<<': 'as a key', '=': 'too' };
    const text = yamlText({ annotations });
    expect(text).toContain('value: "="\n');
    expect(text).toContain('merge: "<<"\n');
    expect(text).toContain('"<<": as a key\n');
    expect(text).toContain('nel: "x\\Ny"\n');
    expect(text).toContain('ls: "p\\Lq"\n');
    expect(text).toContain('ps: "q\\P"\n');
    expect(text).not.toMatch(/[\u0085\u2028\u2029]/);
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ annotations });
  });

  it('escapes what no YAML lets a document hold raw (DEL, C1 controls, U+FFFE), in values and keys', () => {
    const annotations = { del: 'a\u007fb', c1: 'a\u0080b\u009f', bom: 'a\ufffeb', ['k\u007f']: 'key' };
    const text = yamlText({ annotations });
    expect(text).toContain('del: "a\\x7Fb"\n');
    expect(text).toContain('c1: "a\\x80b\\x9F"\n');
    expect(text).toContain('bom: "a\\uFFFEb"\n');
    expect(text).toContain('"k\\x7F": key\n');
    expect(text).not.toMatch(/[\u007f-\u009f\ufffe]/);
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ annotations });
  });
});

describe('yamlText, what readers refuse', () => {
  it('quotes text holding a tab (PyYAML reads none in a plain scalar) and writes a value met twice twice, not as an alias', () => {
    const shared = ['a', 'b'];
    const text = yamlText({ note: 'a\tb', Versions: shared, versions: shared });
    expect(text).toContain('note: "a\\tb"\n');
    expect(text).not.toContain('\t');
    expect(text).not.toMatch(/[&*]a\d/);
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ note: 'a\tb', Versions: shared, versions: shared });
  });
});

describe('heavierThan', () => {
  const values = (bound: number) => ({ values: bound, characters: Infinity });
  it('counts values, lists and maps included, up to just past the bound', () => {
    expect(heavierThan({ a: [1, 2], b: 'x' }, values(5))).toBe(false);
    expect(heavierThan({ a: [1, 2], b: 'x' }, values(4))).toBe(true);
    expect(heavierThan('x', values(0))).toBe(true);
    expect(heavierThan(null, values(1))).toBe(false);
    expect(heavierThan([undefined, undefined], values(3))).toBe(false);
    expect(heavierThan(Array.from({ length: 300_000 }, (_, i) => ({ i })), values(2_000))).toBe(true);
  });

  it('counts the characters of keys and strings too: a few long texts weigh as much as many values (probe)', () => {
    const targets = Array.from({ length: 30 }, (_, i) => ({ metadata: { name: `t${i}`, annotations: { note: 'é'.repeat(256 * 1024) } } }));
    expect(heavierThan(targets, { values: 2_000, characters: 256 * 1024 })).toBe(true);
    expect(heavierThan({ ['k'.repeat(10)]: 'v'.repeat(10) }, { values: 10, characters: 20 })).toBe(false);
    expect(heavierThan({ ['k'.repeat(10)]: 'v'.repeat(11) }, { values: 10, characters: 20 })).toBe(true);
    expect(heavierThan({ ['k'.repeat(11)]: 'v'.repeat(10) }, { values: 10, characters: 20 })).toBe(true);
  });
});
