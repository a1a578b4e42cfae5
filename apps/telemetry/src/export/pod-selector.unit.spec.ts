import type { KubeObject } from '@slipway/kube';
import { labelSelectorQuery, podSelectionOf } from './pod-selector';

const object = (kind: string, spec?: unknown): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name: 'api' }, spec });

describe('podSelectionOf', () => {
  it('uses a workload\'s LabelSelector, expressions included', () => {
    expect(podSelectionOf(object('Deployment', { selector: { matchLabels: { app: 'api', tier: 'web' } } }), 'ns'))
      .toEqual({ by: 'labels', labelSelector: 'app=api,tier=web' });
    expect(labelSelectorQuery({ matchExpressions: [
      { key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'NotIn', values: ['c'] },
      { key: 'y', operator: 'Exists' }, { key: 'z', operator: 'DoesNotExist' },
    ] })).toBe('env in (a,b),x notin (c),y,!z');
  });

  it('uses a Service\'s plain selector map, the pod itself for a Pod, Slipway labels for a CronJob', () => {
    expect(podSelectionOf(object('Service', { selector: { app: 'api' } }), 'ns')).toEqual({ by: 'labels', labelSelector: 'app=api' });
    expect(podSelectionOf(object('Pod'), 'ns')).toEqual({ by: 'name', fieldSelector: 'metadata.name=api' });
    expect(podSelectionOf(object('CronJob', { schedule: '* * * * *' }), 'My NS')).toEqual({
      by: 'labels', labelSelector: 'app.kubernetes.io/managed-by=slipway,slipway.io/namespace=my-ns,slipway.io/deployment-name=api',
    });
  });

  it('selects nothing for objects without pods or with an empty selector (never the whole namespace)', () => {
    expect(podSelectionOf(object('ConfigMap'), 'ns')).toMatchObject({ by: 'none' });
    expect(podSelectionOf(object('Service', { selector: {} }), 'ns')).toMatchObject({ by: 'none' });
    expect(podSelectionOf(object('Deployment', { selector: { matchLabels: {} } }), 'ns')).toMatchObject({ by: 'none' });
  });
});
