import { materializeBench } from '../../../../bench/materialize';

/**
 * The benchmark's input at a tenth of its size: every generated patch reaches an object
 * (the bench throws otherwise), none is skipped, and kustomize builds the same objects.
 * Keeps `npm run bench`'s "equal" meaningful as the generator or the materializer change.
 */
describe('materialize benchmark input', () => {
  it('materializes like kustomize build at 100 objects and 40 patches', async () => {
    const result = await materializeBench({ objects: 100, patches: 40 });
    expect(result).toMatchObject({ equal: true, objects: 100, patches: 40 });
  });
});
