import type { KubeObject } from '@slipway/kube';
import { labelSelectorQuery, podSelectionOf } from './pod-selector';

const object = (kind: string, spec?: unknown, name = 'api'): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name }, spec });
const OURS = 'slipway.io/deployment-name=api';

describe('podSelectionOf', () => {
  it('uses a workload\'s LabelSelector, expressions included, and the deployer\'s label for the service', () => {
    expect(podSelectionOf(object('Deployment', { selector: { matchLabels: { app: 'api', tier: 'web' } } }), 'api', 'ns'))
      .toEqual({ by: 'labels', labelSelector: `app=api,tier=web,${OURS}` });
    expect(labelSelectorQuery({ matchExpressions: [
      { key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'NotIn', values: ['c'] },
      { key: 'y', operator: 'Exists' }, { key: 'z', operator: 'DoesNotExist' },
    ] })).toBe('env in (a,b),x notin (c),y,!z');
  });

  it('never selects by exclusion alone: a NotIn/Exists/DoesNotExist selector keeps to the service\'s own pods', () => {
    const notDb = { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }, { key: 'app', operator: 'Exists' }] };
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']) {
      expect(podSelectionOf(object(kind, { selector: notDb }), 'api', 'ns')).toEqual({ by: 'labels', labelSelector: `tier notin (db),app,${OURS}` });
    }
    // a kind whose pods carry no label of ours selects none rather than every non-db pod
    expect(podSelectionOf(object('PodDisruptionBudget', { selector: notDb }), 'api', 'ns')).toEqual({
      by: 'none', reason: 'the PodDisruptionBudget\'s selector names no label value, so it would take in other services\' pods',
    });
    expect(podSelectionOf(object('PodDisruptionBudget', { selector: { matchLabels: { app: 'api' } } }), 'api', 'ns')).toEqual({ by: 'labels', labelSelector: 'app=api' });
  });

  it('labels the service by its config-store name, whatever the live object is called', () => {
    expect(podSelectionOf(object('Deployment', { selector: { matchLabels: { app: 'x' } } }, 'Live-Name'), 'My App', 'ns'))
      .toEqual({ by: 'labels', labelSelector: 'app=x,slipway.io/deployment-name=my-app' });
    expect(podSelectionOf(object('CronJob', { schedule: '* * * * *' }, 'live-name'), 'api', 'My NS')).toEqual({
      by: 'labels', labelSelector: `slipway.io/namespace=my-ns,${OURS}`,
    });
  });

  it('uses a Service\'s plain selector map and the pod itself for a Pod', () => {
    expect(podSelectionOf(object('Service', { selector: { app: 'api' } }), 'api', 'ns')).toEqual({ by: 'labels', labelSelector: 'app=api' });
    expect(podSelectionOf(object('Pod'), 'api', 'ns')).toEqual({ by: 'name', fieldSelector: 'metadata.name=api' });
  });

  it('selects nothing for objects without pods or with an empty selector (never the whole namespace)', () => {
    expect(podSelectionOf(object('ConfigMap'), 'api', 'ns')).toMatchObject({ by: 'none' });
    expect(podSelectionOf(object('Service', { selector: {} }), 'api', 'ns')).toMatchObject({ by: 'none' });
    expect(podSelectionOf(object('Deployment', { selector: { matchLabels: {} } }), 'api', 'ns')).toMatchObject({ by: 'none' });
  });

  it('refuses an operator Kubernetes has not got, by name', () => {
    expect(() => podSelectionOf(object('Widget', { selector: { matchExpressions: [{ key: 'app', operator: 'Matches', values: ['a.*'] }] } }), 'api', 'ns'))
      .toThrow('unknown label selector operator "Matches"');
  });
});
