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
export const isoTime = (message = 'must be an ISO-8601 time, as 2024-05-01T12:00:00Z') =>
  // A field left out is said to be missing, not to be a malformed time.
  z.iso.datetime({ offset: true, error: (issue) => (issue.input === undefined ? 'is required' : message) }).refine(storable, 'must be a time from the year 0001 on, with a UTC offset under 16 hours');
