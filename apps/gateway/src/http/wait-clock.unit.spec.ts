import type { FastifyRequest } from 'fastify';
import { queryWaitFor, startWaiting, waitAnew, waitingSince } from './wait-clock';

const request = () => ({ headers: {} }) as unknown as FastifyRequest;

describe('a request\'s wait clock', () => {
  it('starts once: a second start keeps the first time', () => {
    const r = request();
    const first = startWaiting(r);
    expect(startWaiting(r)).toBe(first);
    expect(waitingSince(r)).toBe(first);
    expect(waitingSince(request())).toBeUndefined();
  });

  it('gives a query what is left of the bound, at least a second, at most five', () => {
    jest.useFakeTimers({ now: 100_000 });
    try {
      const r = request();
      startWaiting(r);
      jest.setSystemTime(102_000);
      expect(queryWaitFor(r, 5_000)).toBe(3_000);
      jest.setSystemTime(104_500);
      expect(queryWaitFor(r, 5_000)).toBe(1_000);
      expect(queryWaitFor(r, 60_000)).toBe(5_000);
      // nothing bounds it: a query's own wait
      expect(queryWaitFor(r, 0)).toBe(5_000);
      // not yet waiting: the bound from now
      expect(queryWaitFor(request(), 2_000)).toBe(2_000);
    } finally {
      jest.useRealTimers();
    }
  });

  it('starts again for a long-lived request\'s later check, which then waits the whole bound', () => {
    jest.useFakeTimers({ now: 100_000 });
    try {
      const r = request();
      startWaiting(r);
      jest.setSystemTime(160_000);
      expect(queryWaitFor(r, 5_000)).toBe(1_000);
      expect(waitAnew(r)).toBe(160_000);
      expect(queryWaitFor(r, 5_000)).toBe(5_000);
    } finally {
      jest.useRealTimers();
    }
  });
});
