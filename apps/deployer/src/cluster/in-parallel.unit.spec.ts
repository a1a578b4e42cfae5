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

  it('starts no more once one fails, and throws its failure once those running have ended', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const run = inParallel([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await new Promise((resolve) => setTimeout(resolve, item === 0 ? 5 : 30));
      ended.push(item);
      if (item === 0) throw new Error('first failed');
      return item;
    });
    await expect(run).rejects.toThrow('first failed');
    // item 1 was running when 0 failed: it ended before the failure was thrown; 2 on never started
    expect(started).toEqual([0, 1]);
    expect(ended).toEqual([0, 1]);
  });
});
