import { inParallel } from './in-parallel';

describe('inParallel', () => {
  it('runs at most the limit at once, and answers in the items\' order', async () => {
    let running = 0;
    let most = 0;
    const results = await inParallel([5, 1, 4, 2, 3, 0, 6], 3, async (ms) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return ms * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
    expect(await inParallel([], 4, async () => 1)).toEqual([]);
  });
});
