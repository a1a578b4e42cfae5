import type { KubeObject } from './kube-object';
import { strandedFieldsTakenOver } from './stranded-fields';

const entry = (manager: string, operation: string, fieldsV1: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ manager, operation, apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1, ...extra });
const configMap = (fields: Record<string, unknown>, managedFields: unknown[] = []): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(fields.metadata as object), managedFields: managedFields as never }, data: fields.data } as KubeObject);

describe('strandedFieldsTakenOver (what the last apply set, the new config leaves out, and the apply does not remove)', () => {
  const previous = configMap({ metadata: { annotations: { owner: 'team-a' } }, data: { a: '1', b: '2' } });
  const next = configMap({ data: { a: '1' } });

  it('given fields someone changed by hand since, then they move to Slipway\'s apply; what that hand set besides stays its own', () => {
    const entries = [
      entry('slipway', 'Apply', { 'f:data': { 'f:a': {} } }),
      entry('kubectl-patch', 'Update', { 'f:metadata': { 'f:annotations': { 'f:owner': {}, 'f:note': {} } }, 'f:data': { 'f:b': {} } }),
    ];
    const live = configMap({ metadata: { annotations: { owner: 'hand', note: 'x' } }, data: { a: '1', b: 'hand' } }, entries);
    expect(strandedFieldsTakenOver(entries, live, previous, next)).toEqual([
      entry('slipway', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:annotations': { 'f:owner': {} } } }),
      entry('kubectl-patch', 'Update', { 'f:metadata': { 'f:annotations': { 'f:note': {} } } }),
    ]);
  });

  it('given a field nobody owns (a Secret\'s data key sent as stringData before), then it moves to Slipway\'s apply', () => {
    const entries = [entry('slipway', 'Apply', { 'f:data': { 'f:a': {} } })];
    const live = configMap({ data: { a: '1', b: '2' } }, entries);
    expect(strandedFieldsTakenOver(entries, live, { ...previous, metadata: { name: 'c' } }, next)).toEqual([entry('slipway', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} } })]);
  });

  it('given none stranded (another applier\'s field, a subresource\'s, one the new config still sets, one gone, another kind before), then nothing', () => {
    const live = configMap({ metadata: { annotations: { owner: 'x' } }, data: { a: '1', b: '2' } });
    const mine = entry('slipway', 'Apply', { 'f:data': { 'f:a': {} } });
    expect(strandedFieldsTakenOver([mine, entry('other', 'Apply', { 'f:data': { 'f:b': {} }, 'f:metadata': { 'f:annotations': { 'f:owner': {} } } })], live, previous, next)).toBeUndefined();
    expect(strandedFieldsTakenOver([mine, entry('scaler', 'Update', { 'f:data': { 'f:b': {} }, 'f:metadata': { 'f:annotations': { 'f:owner': {} } } }, { subresource: 'scale' })], live, previous, next)).toBeUndefined();
    expect(strandedFieldsTakenOver([mine, entry('kubectl-edit', 'Update', { 'f:data': { 'f:a': {} } })], configMap({ data: { a: '1' } }), previous, next)).toBeUndefined();
    expect(strandedFieldsTakenOver([mine], configMap({ data: { a: '1' } }), previous, next)).toBeUndefined();
    expect(strandedFieldsTakenOver([mine, entry('kubectl-edit', 'Update', { 'f:data': { 'f:b': {} } })], live, { ...previous, kind: 'Secret' }, next)).toBeUndefined();
    expect(strandedFieldsTakenOver([entry('kubectl-edit', 'Update', { 'f:data': { 'f:b': {} } })], live, previous, next)).toBeUndefined();
  });

  it('given fields a controller, Helm or the object\'s first owner updated, then they stay theirs: only kubectl\'s edits give fields up (review: a CA bundle, a finalizer, a claim were taken)', () => {
    const live = configMap({ metadata: { annotations: { owner: 'x' } }, data: { a: '1', b: '2' } });
    const mine = entry('slipway', 'Apply', { 'f:data': { 'f:a': {} } });
    for (const manager of ['cainjector', 'helm', 'before-first-apply', 'kube-controller-manager']) {
      expect(strandedFieldsTakenOver([mine, entry(manager, 'Update', { 'f:data': { 'f:b': {} }, 'f:metadata': { 'f:annotations': { 'f:owner': {} } } })], live, previous, next)).toBeUndefined();
    }
  });

  it('given replicas a config leaves out (a size preset for an autoscaled workload), then they are never taken, by hand or unowned (review: they fell to 1)', () => {
    const deployment = (spec: Record<string, unknown>, managedFields: unknown[] = []) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', managedFields }, spec }) as unknown as KubeObject;
    const entries = [{ ...entry('slipway', 'Apply', { 'f:spec': { 'f:template': {} } }), apiVersion: 'apps/v1' }, { ...entry('kubectl-edit', 'Update', { 'f:spec': { 'f:replicas': {} } }), apiVersion: 'apps/v1' }];
    const live = deployment({ replicas: 3, template: {} }, entries);
    expect(strandedFieldsTakenOver(entries, live, deployment({ replicas: 3, template: {} }), deployment({ template: {} }))).toBeUndefined();
    expect(strandedFieldsTakenOver(entries.slice(0, 1), live, deployment({ replicas: 3, template: {} }), deployment({ template: {} }))).toBeUndefined();
  });
});
