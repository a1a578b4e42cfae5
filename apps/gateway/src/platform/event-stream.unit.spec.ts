import { pauseAfter } from './event-stream';

describe('the event stream\'s pause before reading again', () => {
  it('is a second when caught up, and doubles from 2 s to at most 30 s after failed reads', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(pauseAfter)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});
