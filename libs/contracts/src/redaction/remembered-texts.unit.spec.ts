import { RememberedTexts } from './remembered-texts';

describe('remembered texts', () => {
  it('makes a text once, and again only after it was let go as the least recently used past the bound', () => {
    const made: string[] = [];
    const memo = new RememberedTexts(12);
    const upper = (text: string) => memo.get(text, () => { made.push(text); return text.toUpperCase(); });
    expect([upper('ab'), upper('cd'), upper('ab')]).toEqual(['AB', 'CD', 'AB']);
    expect(made).toEqual(['ab', 'cd']);
    // 'ab' used last: 'cd' goes first once 'ef' and 'gh' pass the 12 characters held
    upper('ef');
    upper('gh');
    upper('ab');
    upper('cd');
    expect(made).toEqual(['ab', 'cd', 'ef', 'gh', 'cd']);
  });

  it('keeps nothing larger than its bound', () => {
    const memo = new RememberedTexts(4);
    let calls = 0;
    const make = () => { calls += 1; return 'long value'; };
    memo.get('k', make);
    memo.get('k', make);
    expect(calls).toBe(2);
  });
});
