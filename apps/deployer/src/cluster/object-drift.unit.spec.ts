import type { KubeObject } from '@slipway/kube';
import { objectDrift } from './object-drift';

const hpa = (extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'hpa-a', namespace: 'ib', ...extra }, spec: { maxReplicas: 5 } }) as KubeObject;
const deployment = (replicas: number): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'ib' }, spec: { replicas } }) as KubeObject;

describe('the drift of one object from what Slipway intends', () => {
  it('reports an object meant to be absent that is live, with the name it has', () => {
    expect(objectDrift(undefined, hpa(), 'hpa-a')).toEqual([{ key: 'metadata.name', expected: '<missing>', got: 'hpa-a' }]);
  });

  it('reports nothing for an object meant to be absent that is gone, or on its way out', () => {
    expect(objectDrift(undefined, undefined, 'hpa-a')).toEqual([]);
    expect(objectDrift(undefined, hpa({ deletionTimestamp: '2024-01-01T00:00:00Z' }), 'hpa-a')).toEqual([]);
  });

  it('reports an object meant to be there that is missing', () => {
    expect(objectDrift(deployment(0), undefined, 'api')).toEqual([{ key: 'metadata.name', expected: 'api', got: '<missing>' }]);
  });

  it('compares an object meant to be there field by field against the intended manifest', () => {
    expect(objectDrift(deployment(0) as unknown as Record<string, unknown>, deployment(0), 'api')).toEqual([]);
    expect(objectDrift(deployment(0) as unknown as Record<string, unknown>, deployment(3), 'api')).toEqual([{ key: 'spec.replicas', expected: '0', got: '3' }]);
  });
});
