import { asSentWhileHibernated, replicasRefusal, replicasToRemember, workloadKey } from './hibernation';

const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'ib' }, spec });

describe('hibernation and pushed configs', () => {
  it('names Deployments and StatefulSets as hibernation remembers them, and nothing else', () => {
    expect(workloadKey(deployment({}))).toBe('Deployment/api');
    expect(workloadKey({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' } })).toBe('StatefulSet/db');
    expect(workloadKey({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' } })).toBeUndefined();
    expect(workloadKey({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hot-configs' } })).toBeUndefined();
  });

  it('sends a workload at 0 replicas, whatever its config states, and leaves the rest of it as configured', () => {
    const config = deployment({ replicas: 3, template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } });
    expect(asSentWhileHibernated(config)).toEqual(deployment({ replicas: 0, template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } }));
    expect(asSentWhileHibernated(deployment({}))).toEqual(deployment({ replicas: 0 }));
    // The config itself is not changed: it stays the golden one.
    expect(config.spec.replicas).toBe(3);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hot-configs' }, data: { replicas: '3' } };
    expect(asSentWhileHibernated(configMap)).toBe(configMap);
  });

  it('remembers only the replicas that change', () => {
    expect(replicasToRemember({ 'Deployment/api': 2 }, [deployment({ replicas: 2 })])).toEqual({});
    expect(replicasToRemember({ 'Deployment/api': 2 }, [deployment({ replicas: 0 })])).toEqual({ 'Deployment/api': 0 });
    expect(replicasToRemember({ 'Deployment/api': 2 }, [deployment({})])).toEqual({});
    expect(replicasToRemember({}, [deployment({})])).toEqual({ 'Deployment/api': 1 });
  });

  it('refuses replicas the API server would refuse, which it never sees while hibernated, and remembers none of them', () => {
    for (const replicas of [-1, 1.5, Infinity, 2 ** 31, '3', { n: 1 }]) {
      expect(replicasRefusal(deployment({ replicas }))).toMatch(/^spec\.replicas: Invalid value: .*: must be a whole number from 0 to 2147483647/);
      expect(replicasToRemember({ 'Deployment/api': 2 }, [deployment({ replicas })])).toEqual({});
    }
    for (const replicas of [0, 3, 2 ** 31 - 1, null, undefined]) expect(replicasRefusal(deployment({ replicas }))).toBeUndefined();
    expect(replicasRefusal({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: { replicas: -1 } })).toBeUndefined();
  });
});
