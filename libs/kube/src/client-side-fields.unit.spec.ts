import { clientSideFieldsTakenOver } from './client-side-fields';
import type { KubeObject } from './kube-object';

const object = (managedFields: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', managedFields: managedFields as never } });
const entry = (manager: string, operation: string, fieldsV1: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ manager, operation, apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1, ...extra });

describe('clientSideFieldsTakenOver (what kubectl apply --server-side migrates)', () => {
  it('given fields of a client-side apply, then they join Slipway\'s apply, and its entry goes; others\' stay', () => {
    const taken = clientSideFieldsTakenOver(object([
      entry('kubectl-client-side-apply', 'Update', { 'f:data': { '.': {}, 'f:A': {}, 'f:B': {} }, 'f:metadata': { 'f:labels': { 'f:old': {} } } }),
      entry('slipway', 'Apply', { 'f:data': { 'f:A': {} } }),
      entry('kubectl-edit', 'Update', { 'f:data': { 'f:C': {} } }),
      entry('kubectl-client-side-apply', 'Update', { 'f:status': {} }, { subresource: 'status' }),
    ]));
    expect(taken).toEqual([
      entry('slipway', 'Apply', { 'f:data': { '.': {}, 'f:A': {}, 'f:B': {} }, 'f:metadata': { 'f:labels': { 'f:old': {} } } }),
      entry('kubectl-edit', 'Update', { 'f:data': { 'f:C': {} } }),
      entry('kubectl-client-side-apply', 'Update', { 'f:status': {} }, { subresource: 'status' }),
    ]);
  });

  it('given none to move (no client-side entry, another API version, no apply of Slipway\'s yet, only before-first-apply), then nothing', () => {
    expect(clientSideFieldsTakenOver(object([entry('slipway', 'Apply', {}), entry('kubectl-edit', 'Update', {})]))).toBeUndefined();
    expect(clientSideFieldsTakenOver(object([entry('slipway', 'Apply', {}), entry('kubectl-client-side-apply', 'Update', {}, { apiVersion: 'v2' })]))).toBeUndefined();
    expect(clientSideFieldsTakenOver(object([entry('kubectl-client-side-apply', 'Update', {})]))).toBeUndefined();
    // what the API server gave the placeholder manager of an object with no managed fields (an HPA's replicas, say) stays its own
    expect(clientSideFieldsTakenOver(object([entry('slipway', 'Apply', {}), entry('before-first-apply', 'Update', { 'f:spec': { 'f:replicas': {} } })]))).toBeUndefined();
  });

  it('given a client-side apply\'s replicas, then they stay its own, and the rest of its spec moves (review: an autoscaled Deployment fell to 1)', () => {
    const taken = clientSideFieldsTakenOver(object([
      entry('slipway', 'Apply', { 'f:spec': { 'f:template': {} } }),
      entry('kubectl-client-side-apply', 'Update', { 'f:spec': { '.': {}, 'f:replicas': {}, 'f:paused': {} }, 'f:metadata': { 'f:labels': { 'f:old': {} } } }),
    ]));
    expect(taken).toEqual([
      entry('slipway', 'Apply', { 'f:spec': { 'f:template': {}, 'f:paused': {} }, 'f:metadata': { 'f:labels': { 'f:old': {} } } }),
      entry('kubectl-client-side-apply', 'Update', { 'f:spec': { '.': {}, 'f:replicas': {} } }),
    ]);
    // and with only them left, nothing more to move: no take-over again at every push
    expect(clientSideFieldsTakenOver(object(taken!))).toBeUndefined();
  });
});
