import { heavierThan } from './heavier-than';

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
