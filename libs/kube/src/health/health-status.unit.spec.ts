import type { KubeObject } from '../kube-object';
import { aggregateHealth, assessHealth } from './assess-health';
import { HEALTH_STATUSES, worstHealth, type Health } from './health-status';

describe('health vocabulary', () => {
  it('orders Healthy < Suspended < Progressing < Missing < Degraded < Unknown', () => {
    expect(HEALTH_STATUSES).toEqual(['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown']);
  });

  it.each<[Health['status'][], Health['status']]>([
    [[], 'Healthy'],
    [['Healthy', 'Healthy'], 'Healthy'],
    [['Healthy', 'Suspended'], 'Suspended'],
    [['Suspended', 'Progressing', 'Healthy'], 'Progressing'],
    [['Progressing', 'Missing'], 'Missing'],
    [['Missing', 'Degraded', 'Progressing'], 'Degraded'],
    [['Degraded', 'Unknown'], 'Unknown'],
  ])('given %j, when aggregated, then the worst (%s) wins', (statuses, expected) => {
    expect(worstHealth(statuses.map((status) => ({ status }))).status).toBe(expected);
  });

  it('given two Degraded parts, when aggregated, then the first one\'s message is kept', () => {
    expect(worstHealth([{ status: 'Degraded', message: 'first' }, { status: 'Degraded', message: 'second' }]).message).toBe('first');
  });
});

describe('assessHealth', () => {
  const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [] } };

  it('given no live object, then it is Missing', () => {
    expect(assessHealth(undefined).status).toBe('Missing');
  });

  it('given a ConfigMap or a Service, then existing is Healthy', () => {
    expect(assessHealth(configMap).status).toBe('Healthy');
    expect(assessHealth(service).status).toBe('Healthy');
  });

  it('given a healthy ConfigMap and a missing object, when aggregated, then it is Missing', () => {
    expect(aggregateHealth([configMap, undefined]).status).toBe('Missing');
  });

  it('given a CrashLoopBackOff pod beside a missing object, when aggregated, then Degraded wins', () => {
    const pod: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    };
    expect(aggregateHealth([undefined, pod, configMap])).toEqual({ status: 'Degraded', message: 'container app: CrashLoopBackOff' });
  });
});
