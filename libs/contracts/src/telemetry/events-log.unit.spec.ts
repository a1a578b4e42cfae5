import { ReadEvents } from './events-log';

describe('ReadEvents', () => {
  const refusal = (query: Record<string, string>) => {
    const parsed = ReadEvents.schema.safeParse(query);
    return parsed.success ? undefined : `${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`;
  };

  it('says a position or a page size that is no whole number is none, in words a person reads', () => {
    expect(refusal({ after: 'abc' })).toBe('after: must be a whole number');
    expect(refusal({ limit: '1.5' })).toBe('limit: must be a whole number');
    expect(refusal({ limit: '1001' })).toBe('limit: must be at most 1000');
    expect(refusal({ limit: '0' })).toBe('limit: must be at least 1');
    expect(refusal({ after: '5', limit: '10' })).toBeUndefined();
  });

  it('says a whole number past the safe range is out of range, not that it is no whole number', () => {
    expect(refusal({ after: '9007199254740992' })).toBe('after: must be at most 9007199254740991');
    expect(refusal({ after: '1'.repeat(400) })).toBe('after: must be at most 9007199254740991');
    expect(refusal({ limit: '9007199254740992' })).toBe('limit: must be at most 1000');
    expect(ReadEvents.schema.parse({ after: '9007199254740991' })).toMatchObject({ after: 9007199254740991 });
    // Leading zeros add no digits: a small number written long is still that number (probe).
    expect(ReadEvents.schema.parse({ after: '00000000000000001' })).toMatchObject({ after: 1 });
    expect(ReadEvents.schema.parse({ after: `${'0'.repeat(40)}9007199254740991` })).toMatchObject({ after: 9007199254740991 });
    expect(refusal({ after: `${'0'.repeat(40)}9007199254740992` })).toBe('after: must be at most 9007199254740991');
  });

  it('reads decimal digits only: a hexadecimal, an exponent or a space would name another position than the one written', () => {
    for (const after of ['0x7', '1e3', ' 7', '7 ', '+7', '-0', '']) expect(refusal({ after })).toBe('after: must be a whole number');
    // a negative one is below the bound (probe: it was said to be no whole number)
    expect(refusal({ limit: '-1' })).toBe('limit: must be at least 1');
    expect(refusal({ after: '-5' })).toBe('after: must be at least 0');
    expect(ReadEvents.schema.parse({ after: '007' })).toMatchObject({ after: 7, limit: 100 });
    expect(ReadEvents.schema.parse({})).toMatchObject({ after: 0, limit: 100 });
  });

  it('refuses a time window that holds nothing (until at or before since), naming until', () => {
    expect(refusal({ since: '2026-12-05T00:00:00Z', until: '2026-12-04T00:00:00Z' })).toBe('until: must be later than since (2026-12-05T00:00:00Z)');
    expect(refusal({ since: '2026-12-05T00:00:00Z', until: '2026-12-05T00:00:00+00:00' })).toMatch(/^until: must be later than since/);
    expect(refusal({ since: '2026-12-04T00:00:00Z', until: '2026-12-05T00:00:00Z' })).toBeUndefined();
  });

  it('compares since and until to every digit written, finer than the millisecond (probe)', () => {
    expect(refusal({ since: '2026-12-05T16:07:27.4355Z', until: '2026-12-05T16:07:27.4354Z' })).toBe('until: must be later than since (2026-12-05T16:07:27.4355Z)');
    expect(refusal({ since: '2026-12-05T16:07:27.4354Z', until: '2026-12-05T16:07:27.4355Z' })).toBeUndefined();
  });

  it('refuses a time that is none for itself only, not also as out of order (review)', () => {
    const issues = ReadEvents.schema.safeParse({ since: 'nope', until: '2026-01-01T00:00:00Z' }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(['since: must be an ISO-8601 time with seconds and a UTC offset (RFC 3339), as 2024-05-01T12:00:00Z']);
  });
});
