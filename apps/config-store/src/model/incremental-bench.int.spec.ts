import { createTestDatabase } from '@slipway/testing';
import { incrementalBench } from '../../../../bench/incremental';

/**
 * The "incremental" benchmark at a tenth of its size: both variants record the same new
 * version, and the incremental one loads only the object the patch targets. Keeps
 * `npm run bench`'s figures meaningful as the code changes (times are not asserted).
 */
describe('incremental benchmark input', () => {
  it('records the same versions with and without incremental re-materialization at 100 objects and 20 patches', async () => {
    const result = await incrementalBench(await createTestDatabase(), { objects: 100, patches: 20 });
    expect(result).toMatchObject({ equal: true, objects: 100, patches: 20, loaded: { full: 100, incremental: 1 } });
  });
});
