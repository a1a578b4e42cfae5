import { isLaterTime, isoTime, millisecondAtOrAfter } from './time';

describe('isoTime', () => {
  const time = isoTime();
  it('takes times with Z or an offset of real places', () => {
    for (const text of ['2024-05-01T12:00:00Z', '2024-05-01T12:00:00.123+14:00', '0001-01-01T00:00:00-15:59', '9999-12-31T23:59:59Z']) {
      expect(time.safeParse(text).success).toBe(true);
    }
  });

  it('refuses what Postgres cannot read, saying why: the year 0000 and offsets of 16 hours or more', () => {
    for (const text of ['0000-01-01T00:00:00Z', '2020-01-01T00:00:00+16:00', '2020-01-01T00:00:00-23:59']) {
      const parsed = time.safeParse(text);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/year 0001 on, with a UTC offset under 16 hours/);
    }
  });

  it('refuses what is no time, with the message given', () => {
    expect(isoTime('must be an ISO-8601 timestamp').safeParse('yesterday').error?.issues[0]?.message).toBe('must be an ISO-8601 timestamp');
  });

  it('says a time left out is required, not malformed', () => {
    expect(isoTime('must be an ISO-8601 timestamp').safeParse(undefined).error?.issues[0]?.message).toBe('is required');
  });
});

describe('times finer than the millisecond (probe: since/until below one)', () => {
  it('compares to every digit written, where Date.parse cuts at the millisecond', () => {
    expect(isLaterTime('2026-12-05T16:07:27.4355Z', '2026-12-05T16:07:27.4354Z')).toBe(true);
    expect(isLaterTime('2026-12-05T16:07:27.4354Z', '2026-12-05T16:07:27.4355Z')).toBe(false);
    expect(isLaterTime('2026-12-05T16:07:27.43500Z', '2026-12-05T16:07:27.435Z')).toBe(false);
    expect(isLaterTime('2026-12-05T16:07:27.436Z', '2026-12-05T16:07:27.4359999Z')).toBe(true);
    expect(isLaterTime('2026-12-05T18:07:27.4351+02:00', '2026-12-05T16:07:27.435Z')).toBe(true);
  });

  it('takes a bound finer than the millisecond to the first whole one after it, in UTC', () => {
    expect(millisecondAtOrAfter('2026-12-05T16:07:27.4349999Z')).toBe('2026-12-05T16:07:27.435Z');
    expect(millisecondAtOrAfter('2026-12-05T16:07:27.4350001Z')).toBe('2026-12-05T16:07:27.436Z');
    expect(millisecondAtOrAfter('2026-12-05T16:07:27.435000Z')).toBe('2026-12-05T16:07:27.435000Z');
    // one with no finer digits stays as written, as does one whose next millisecond Postgres could not read (review)
    expect(millisecondAtOrAfter('2026-12-05T18:07:27+02:00')).toBe('2026-12-05T18:07:27+02:00');
    expect(millisecondAtOrAfter('0001-01-01T00:00:00+01:00')).toBe('0001-01-01T00:00:00+01:00');
    expect(millisecondAtOrAfter('9999-12-31T23:59:59.9999Z')).toBe('9999-12-31T23:59:59.9999Z');
  });
});
