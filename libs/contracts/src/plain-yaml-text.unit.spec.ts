import { plainYamlText } from './plain-yaml-text';
import { libraryYamlText } from './yaml-writing';

/** As the gateway quotes for YAML 1.1 readers: a few words and number-like texts. */
const quotedFor11 = (text: string) => /^(?:yes|no|on|off|y|n|=|<<)$/i.test(text) || /^[-+]?[0-9][0-9_:.]*$/.test(text);
/** What the library writes, styled the same way: what plainYamlText must equal. */
const written = (value: unknown) => libraryYamlText(value, quotedFor11);

/** Texts at the edges of what is written plain, quoted, or left to the library. */
const TEXTS = [
  'a', 'name', 'myDeploymentTarget', 'v1', 'kube-system', 'a.b/c', 'x_y', 'someone@example.com', '@x', '`x', '%x', '!x', '&x', '*x', '|x', '>x', '#x', 'a#b',
  '-', '?', '-x', '?x', '--', '---', '---x', '...', '...x', '..', '.', ':', 'a:', 'a:b', 'http://h/p', 'image:1.2', ',x', 'x,', '[x', 'x]', '{x', 'x}',
  '', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'no', 'yes', 'On', 'y', '=', '<<',
  '0', '1', '-1', '+1', '007', '0o17', '0o8', '0x1F', '0xG', '1e5', '1E-5', '1e', '.5', '5.', '1.2.3', '.inf', '-.Inf', '.nan', '.NaN', '.NAN', '1_000', '12:30', '2026-12-07',
  '2026-12-07T14:00:00.000Z', '3f2a9c1e-4b5d-4e6f-8a7b-9c0d1e2f3a4b', '12e45678-aaaa-bbbb-cccc-0123456789ab', 'a b', ' a', 'a ', 'a\nb', 'tab\there', 'quote"d', "it's", 'back\\slash',
  'é', 'x'.repeat(80), 'x'.repeat(200), 'x'.repeat(1001), `${'word '.repeat(30)}end`, '\u0085', 'del\u007f',
  // about where the writer folds a line: plain, and quoted (numbers) for YAML 1.1 readers
  ...[19, 20, 21, 22, 40, 55, 56, 57, 58, 59, 60, 61, 62, 70, 75, 76, 77, 78, 79, 80, 81].flatMap((n) => ['k'.repeat(n), '1'.repeat(n), 'a b'.repeat(n).slice(0, n)]),
  // spaces where the writer quotes or folds: around a colon or a hash, at either end, twice
  'a: b', 'a :b', 'a #b', 'a# b', 'a b ', ' a b', 'a  b', 'a - b', '- a', '? a', 'a ?', 'a,b c', '2026-12-07 10:00', 'yes no', 'no', '1 2', '%a b', '--- a', '... a',
  // quotes and backslashes, inside and first: the writer picks single or double quotes
  '"x"', '"', "'", '""', "''", 'a"b', '"a', "'a", '{"a": 1}', '[1, "x"]', 'a\\b', '\\', '\\n', '\\u0041', '"it\'s"', 'x"y\'z', 'back\\slash "q"', '-"x"', ': "x"', '" a "',
  // past ASCII: letters, marks, wide and astral characters (two UTF-16 units), spaces that are not YAML's, and what is left to the writer
  'café', 'naïve façade', 'e\u0301', '中文', 'Ωμέγα', 'ключ', '😀', 'a😀b', '-😀', '😀:', '\u00a0', 'a\u00a0b', '\u00a0a', 'a\u3000b', '\u200b', 'rtl\u200f', '\u2007x',
  '"é"', "l'été", 'é: x', 'é #x', '\ufeff', 'x\ufeff', '\u2028', 'a\u2029b', '\ud800', 'x\udc00', '\ufffe', '\uffff', '\u0085x', 'x\u009f',
  ...[10, 20, 21, 30, 38, 39, 40, 60, 75, 76, 77, 78, 500, 501, 999, 1000].flatMap((n) => ['é'.repeat(n), '😀'.repeat(n), 'é ü'.repeat(n).slice(0, n), `"${'中'.repeat(n)}"`]),
];

/** A deterministic pseudo-random source (mulberry32), so a failure is found again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function valueOf(next: () => number, depth: number, simple: boolean): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const texts = simple ? TEXTS.filter((t) => !/[\u0000-\u001f]/.test(t) && t.length <= 1000) : TEXTS;
  const kind = depth >= 7 ? next() * 4 : next() * 6;
  if (kind < 2) return pick(texts);
  if (kind < 3) return pick([0, -0, 1, -5, 0.1, 1e21, 1.5e-7, 123456789, true, false, null]);
  if (kind < 4) return pick([{}, []]);
  const size = Math.floor(next() * 3) + 1;
  if (kind < 5) return Array.from({ length: size }, () => valueOf(next, depth + 1, simple));
  return Object.fromEntries(Array.from({ length: size }, () => [pick(texts), valueOf(next, depth + 1, simple)]));
}

const VALUES = Number(process.env.PLAIN_YAML_VALUES ?? 20_000);

describe('plainYamlText', () => {
  it('writes what the library writes, byte for byte, or leaves the value to it (20,000 values of tricky texts)', () => {
    const next = random(20261207);
    let taken = 0;
    for (let i = 0; i < VALUES; i++) {
      const value = valueOf(next, 0, i % 2 === 0);
      const fast = plainYamlText(value, quotedFor11);
      if (fast === undefined) continue;
      taken++;
      if (fast !== written(value)) expect({ value, fast }).toEqual({ value, fast: written(value) });
    }
    // Half the values hold only texts it takes: most of those are written here.
    expect(taken).toBeGreaterThan(VALUES * 0.3);
  });

  it('writes a list of targets as the library does, quoting what YAML 1.1 readers would misread', () => {
    const target = (i: number) => ({
      kind: 'DeploymentTarget', apiVersion: 'v1',
      metadata: { id: `0000000${i}-4b5d-4e6f-8a7b-9c0d1e2f3a4b`, name: `target-${i}`, namespace: 'default', labels: { tier: 'web', replicas: '3', enabled: 'yes' }, annotations: {}, createdAt: '2026-12-07T14:00:00.000Z', resourceVersion: i },
      spec: { kubernetes: { namespace: null } },
    });
    const list = { kind: 'DeploymentTargetList', items: [target(1), target(2)], nested: [[1, [2, {}]], [{ a: [] }]] };
    const text = plainYamlText(list, quotedFor11);
    expect(text).toBe(written(list));
    expect(text).toContain('      labels:\n        tier: web\n        replicas: "3"\n        enabled: "yes"\n');
  });

  it('leaves to the library a text it does not write, and anything JSON does not hold', () => {
    for (const value of [{ a: 'a\nb' }, { a: 'a\tb' }, { a: 'del\u007f' }, { a: 'x\ud800' }, { 'a\u2028b': 1 }, ['\ufeffx'], ['x'.repeat(1001)], { a: undefined }, [new Date(0)], { n: Number.NaN }, '---', { a: { b: '...x' } }]) {
      expect(plainYamlText(value, quotedFor11)).toBeUndefined();
    }
  });
});
