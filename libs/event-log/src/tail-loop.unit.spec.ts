import { nextIdleMs } from './tail-loop';

describe('the wait of a tail loop that finds nothing', () => {
  it('doubles after each empty step up to its longest, from its shortest', () => {
    const bounds = { idleMs: 25, maxIdleMs: 200 };
    const waits = [25];
    for (let step = 0; step < 5; step++) waits.push(nextIdleMs(waits.at(-1)!, bounds));
    expect(waits).toEqual([25, 50, 100, 200, 200, 200]);
  });

  it('does not grow where no longest is set above the shortest', () => {
    expect(nextIdleMs(200, { idleMs: 200, maxIdleMs: 200 })).toBe(200);
  });
});
