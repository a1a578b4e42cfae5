import { MILLI, NANO, parseQuantity, quantityOf, sameQuantity, type QuantityValue } from './quantity';

const value = (coefficient: bigint, exponent = 0): QuantityValue => ({ coefficient, exponent });

describe('parseQuantity', () => {
  it.each<[string, QuantityValue]>([
    ['0', value(0n)],
    ['1', value(1n)],
    ['1000m', value(1n)],
    ['500m', value(5n, -1)],
    ['0.5', value(5n, -1)],
    ['.5', value(5n, -1)],
    ['5.', value(5n)],
    ['+5', value(5n)],
    ['-5', value(-5n)],
    ['-0.25', value(-25n, -2)],
    ['007', value(7n)],
    ['1k', value(1n, 3)],
    ['1M', value(1n, 6)],
    ['1G', value(1n, 9)],
    ['1T', value(1n, 12)],
    ['1P', value(1n, 15)],
    ['1E', value(1n, 18)],
    ['1u', value(1n, -6)],
    ['1n', value(1n, -9)],
    ['1Ki', value(1024n)],
    ['1Mi', value(1048576n)],
    ['1Gi', value(1073741824n)],
    ['1.5Gi', value(1610612736n)],
    ['1e3', value(1n, 3)],
    ['1E3', value(1n, 3)],
    ['1e+3', value(1n, 3)],
    ['25e-2', value(25n, -2)],
    ['1.G', value(1n, 9)],
  ])('given %s, when it is parsed, then it is the exact value', (text, expected) => {
    expect(parseQuantity(text)).toEqual(expected);
  });

  it.each([
    '', ' 1', '1 ', '1K', '1ki', '1KI', '1e', '1e+', '1e1.5', '1k3', '1i', '1.5.5', '1,5', 'abc', '1Gb', '--1', '0x10',
    'NaN', 'Infinity', '1e2147483648', '1e-99999999999',
  ])('given the invalid quantity %j, when it is parsed, then it is undefined', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  describe('the spellings the API server stores as one value', () => {
    it.each([
      ['1000m', '1'],
      ['0.5', '500m'],
      ['1Gi', '1024Mi'],
      ['1G', '1000M'],
      ['1e3', '1k'],
      ['1e3', '1000'],
      ['1.5Gi', '1536Mi'],
      ['0.1', '100m'],
      ['1Ki', '1024'],
      ['100e-3', '100m'],
      ['1m', '1000u'],
    ])('given %s and %s, when both are parsed, then they are equal', (left, right) => {
      expect(parseQuantity(left)).toEqual(parseQuantity(right));
    });

    it.each([
      ['1', '1001m'],
      ['1Gi', '1G'],
      ['1Mi', '1M'],
      ['1k', '1Ki'],
      ['-1', '1'],
      ['1n', '2n'],
    ])('given %s and %s, when both are parsed, then they differ', (left, right) => {
      expect(parseQuantity(left)).not.toEqual(parseQuantity(right));
    });
  });

  describe('the quirks Go keeps', () => {
    it('given digits left out around the point or a bare sign, when parsed, then Go reads zero', () => {
      for (const text of ['.', '-', '+', 'Mi', 'm']) expect(parseQuantity(text)).toEqual(value(0n));
    });

    it('given less than a nano, when parsed, then it is rounded up (away from zero) to a whole nano', () => {
      expect(parseQuantity('0.0000000001')).toEqual(value(1n, -9));
      expect(parseQuantity('1.5n')).toEqual(value(2n, -9));
      expect(parseQuantity('-1.5n')).toEqual(value(-2n, -9));
      expect(parseQuantity('1e-100')).toEqual(value(1n, -9));
      expect(parseQuantity('1e-2000000000')).toEqual(value(1n, -9));
      expect(parseQuantity('0.0000000000')).toEqual(value(0n));
    });

    it('given a binary value above the int64 maximum, when parsed, then it is capped there; decimal values are not', () => {
      const max = value(9223372036854775807n);
      expect(parseQuantity('9Ei')).toEqual(max);
      expect(parseQuantity('10Ei')).toEqual(max);
      expect(parseQuantity('7Ei')).toEqual(value(7n * 2n ** 60n));
      expect(parseQuantity('99999999999999999999')).toEqual(value(99999999999999999999n));
      expect(parseQuantity('9223372036854775808')).toEqual(value(9223372036854775808n));
      expect(parseQuantity('100E')).toEqual(value(1n, 20));
      expect(parseQuantity('10000000000000000000000e0')).toEqual(value(1n, 22));
    });

    it('given a value spelled with hundreds of thousands of digits, when parsed, then it is the exact value', () => {
      const zeros = 300_000;
      expect(parseQuantity('1' + '0'.repeat(zeros))).toEqual(value(1n, zeros));
      expect(parseQuantity('5' + '0'.repeat(zeros) + 'm')).toEqual(value(5n, zeros - 3));
      expect(parseQuantity('9'.repeat(zeros) + '.9999999999')).toEqual(value(1n, zeros));
      expect(sameQuantity('1' + '0'.repeat(zeros), `1e${zeros}`)).toBe(true);
    });

    it('given a fraction of a binary suffix, when parsed, then it is the exact product', () => {
      expect(parseQuantity('0.5Ki')).toEqual(value(512n));
      expect(parseQuantity('1.0000000015Gi')).toEqual(value(1073741825610612736n, -9));
    });
  });
});

describe('quantityOf', () => {
  it('given a JSON number, when read as a quantity, then its text is parsed as Quantity.UnmarshalJSON does', () => {
    expect(quantityOf(1)).toEqual(value(1n));
    expect(quantityOf(0.5)).toEqual(value(5n, -1));
    expect(quantityOf(1e21)).toEqual(value(1n, 21));
    expect(quantityOf(1.5e-7)).toEqual(value(15n, -8));
  });

  it('given spaces around a string, when read as a quantity, then they are trimmed as Quantity.UnmarshalJSON does', () => {
    expect(quantityOf(' 1Gi ')).toEqual(value(1073741824n));
    expect(quantityOf('\u00a01')).toEqual(value(1n));
  });

  it('given white space JSON escapes (newline, tab, U+2028) or a byte order mark, when read, then it is no quantity', () => {
    for (const text of ['1\n', '\t1', '\u20281', '\ufeff1']) expect(quantityOf(text)).toBeUndefined();
  });

  it('given something that is no quantity, when read, then it is undefined', () => {
    for (const other of [null, undefined, true, {}, [], Number.NaN, Number.POSITIVE_INFINITY, 'lots']) expect(quantityOf(other)).toBeUndefined();
  });
});

describe('sameQuantity', () => {
  it('given two spellings of one value, when compared, then they are the same', () => {
    expect(sameQuantity('1000m', '1')).toBe(true);
    expect(sameQuantity(1, '1000m')).toBe(true);
    expect(sameQuantity('1Gi', '1024Mi')).toBe(true);
  });

  it('given two values, when compared, then they differ', () => {
    expect(sameQuantity('1', '2')).toBe(false);
    expect(sameQuantity('1n', '2n')).toBe(false);
  });

  it('given a value below the scale a field is rounded to, when compared at that scale, then it is the rounded-up value', () => {
    expect(sameQuantity('0.0000000015', '1m', MILLI)).toBe(true);
    expect(sameQuantity('0.0000000015', '1m', NANO)).toBe(false);
    expect(sameQuantity('0.0000000015', '2n', NANO)).toBe(true);
    expect(sameQuantity('0.30000000000000004', '301m', MILLI)).toBe(true);
    expect(sameQuantity('1.0000000015Gi', '1073741825611m', MILLI)).toBe(true);
    expect(sameQuantity('-1.5m', '-1m', MILLI)).toBe(false);
    expect(sameQuantity('-1.5m', '-2m', MILLI)).toBe(true);
  });

  it('given an invalid quantity on either side, when compared, then there is no answer', () => {
    expect(sameQuantity('1x', '1x')).toBeUndefined();
    expect(sameQuantity('1', 'one')).toBeUndefined();
  });
});
