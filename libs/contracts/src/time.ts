import { z } from 'zod';

/** The year and the UTC offset of an ISO-8601 time, as written. */
const PARTS = /^(\d{4})-.*?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;

/**
 * Whether Postgres can read the time as written: it has no year 0 (ISO's 0000 is 1 BC)
 * and refuses UTC offsets of 16 hours or more (real ones stay within ±14:00).
 */
function storable(text: string): boolean {
  const parts = PARTS.exec(text);
  if (!parts) return false;
  const [, year, , hours] = parts;
  return Number(year) >= 1 && (hours === undefined || Number(hours) < 16);
}

/** An ISO-8601 time with an offset (`Z` or `±hh:mm`), one Postgres can compare with. */
export const isoTime = (message = 'must be an ISO-8601 time with seconds and a UTC offset (RFC 3339), as 2024-05-01T12:00:00Z') =>
  // A field left out is said to be missing, not to be a malformed time; a malformed one is not judged further (abort).
  z.iso.datetime({ offset: true, abort: true, error: (issue) => (issue.input === undefined ? 'is required' : message) }).refine(storable, 'must be a time from the year 0001 on, with a UTC offset under 16 hours');

/** The digits of a time's fraction past the millisecond, trailing zeros dropped ('' when none). */
const pastMilliseconds = (time: string): string => (/\.\d{3}(\d*)/.exec(time)?.[1] ?? '').replace(/0+$/, '');

/**
 * Whether ISO time `a` is later than `b`, to whatever fraction of a second they are written
 * (Date.parse cuts at the millisecond: 27.4355Z read as no later than 27.4354Z).
 */
export function isLaterTime(a: string, b: string): boolean {
  const difference = Date.parse(a) - Date.parse(b);
  if (difference !== 0) return difference > 0;
  const [x, y] = [pastMilliseconds(a), pastMilliseconds(b)];
  const digits = Math.max(x.length, y.length);
  return x.padEnd(digits, '0') > y.padEnd(digits, '0');
}

/**
 * The first whole millisecond at or after an ISO time, as UTC ISO text: for a bound compared
 * with times written to the millisecond (an event's occurredAt), `t >= time` and `t < time`
 * hold of such a t exactly when they hold against this.
 */
export function millisecondAtOrAfter(time: string): string {
  if (pastMilliseconds(time) === '') return time;
  const next = new Date(Date.parse(time) + 1).toISOString();
  // At the ends of what Postgres reads (year 0001 east of UTC, 9999's last millisecond) the
  // time stays as written: it rounds it to the microsecond, short of a whole millisecond by less.
  return storable(next) ? next : time;
}
