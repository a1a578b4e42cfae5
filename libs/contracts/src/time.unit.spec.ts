import { isoTime } from './time';

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
