import { holdsMoreEntriesThan } from './sent-entries';

/** Keys and list items, counted on the text before it is parsed: what a string holds is none of them. */
describe('holdsMoreEntriesThan', () => {
  it.each([
    ['{}', 0],
    ['[ ]', 0],
    ['"a,b:[{"', 0],
    ['[ [] ]', 1],
    ['{"a":1}', 1],
    ['{"a":1,"b":[]}', 2],
    ['[1, [2, 3], {"k": {}}]', 6],
    ['{"a,\\",b":"x\\\\","c":"[,"}', 2],
  ])('counts %s as %i entries', (text, entries) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(holdsMoreEntriesThan(text, entries)).toBe(false);
    if (entries > 0) expect(holdsMoreEntriesThan(text, entries - 1)).toBe(true);
  });

  it('counts text that is not JSON as far as it reads, without looping on an unclosed string', () => {
    expect(holdsMoreEntriesThan('[1,2,"3,4', 2)).toBe(true);
    expect(holdsMoreEntriesThan('[1,2,"3,4', 3)).toBe(false);
  });
});
