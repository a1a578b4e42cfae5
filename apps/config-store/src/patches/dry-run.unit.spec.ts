import type { ConfigModel } from '../materialize/model';
import { dryRun } from './dry-run';

const model: ConfigModel = {
  bases: new Map([['hot-configs', { objectName: 'hot-configs', kind: 'ConfigMap', apiVersion: 'v1', releaseVersion: 'r1', config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hot-configs\ndata:\n  A: "1"\n' }]]),
  patches: [],
  labels: new Map(),
};

describe('dryRun', () => {
  it('given a patch for a kind its target does not have, then it says which objects the target reaches and of what kind', () => {
    const [entry] = dryRun(model, [{ target: 'hot-configs', format: 'YAML', kind: 'Deployment', patch: 'spec:\n  replicas: 2' }], 0);
    expect(entry).toEqual({
      message: "Target 'hot-configs' has no object of kind Deployment: the patch applies only to Deployment objects, and 'hot-configs' reaches ConfigMap 'hot-configs'.",
      dryRun: null,
    });
  });

  it('given a target that reaches nothing, then it answers the document\'s message', () => {
    const [entry] = dryRun(model, [{ target: 'object-2', format: 'YAML', kind: null, patch: 'data:\n  B: "2"' }], 0);
    expect(entry!.message).toBe("Target 'object-2' is a nonexistent object. If you apply a patch to this target there will be no configuration file associated with it until an object called 'object-2' is created.");
  });

  it('given a patch that applies, then it gives the would-be config', () => {
    const [entry] = dryRun(model, [{ target: 'hot-configs', format: 'YAML', kind: 'ConfigMap', patch: 'data:\n  B: "2"' }], 0);
    expect(entry!.dryRun?.config).toContain('B: "2"');
  });
});
