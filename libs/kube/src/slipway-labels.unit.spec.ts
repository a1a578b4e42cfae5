import type { KubeObject } from './kube-object';
import { slipwayLabels, toLabelValue, withSlipwayLabels, type SlipwayOwner } from './slipway-labels';

const owner: SlipwayOwner = { namespace: 'Team A', deploymentId: 'd-1f2e', deploymentName: 'My Deployment Name', revision: 7, rolloutId: 'r-42' };

describe('toLabelValue', () => {
  it.each([
    ['My Deployment Name', 'my-deployment-name'],
    ['already-valid.name_1', 'already-valid.name_1'],
    ['  --Weird!!  chars//here--  ', 'weird-chars-here'],
    ['ÄÖÜ café', 'caf'],
    ['!!!', ''],
  ])('given %j, then it becomes %j', (input, expected) => {
    expect(toLabelValue(input)).toBe(expected);
  });

  it('given a name longer than 63 characters, then it is cut to a valid value of at most 63', () => {
    const value = toLabelValue(`${'a'.repeat(62)} b c`);
    expect(value).toBe('a'.repeat(62));
    expect(toLabelValue(`${'x'.repeat(70)}`)).toHaveLength(63);
    expect(value).toMatch(/^([a-z0-9]([-a-z0-9_.]*[a-z0-9])?)?$/);
  });
});

describe('withSlipwayLabels', () => {
  const expected = {
    'app.kubernetes.io/managed-by': 'slipway',
    'slipway.io/namespace': 'team-a',
    'slipway.io/deployment-id': 'd-1f2e',
    'slipway.io/deployment-name': 'my-deployment-name',
    'slipway.io/revision': '7',
    'slipway.io/rollout-id': 'r-42',
  };

  it('given an owner, then slipwayLabels names all six labels', () => {
    expect(slipwayLabels(owner)).toEqual(expected);
  });

  it('given a ConfigMap with labels, when labelled, then its labels are kept and Slipway\'s added', () => {
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: 'web' } }, data: { a: '1' } };
    const labelled = withSlipwayLabels(configMap, owner);
    expect(labelled.metadata.labels).toEqual({ app: 'web', ...expected });
    expect(labelled.data).toEqual({ a: '1' });
    expect(configMap.metadata.labels).toEqual({ app: 'web' }); // the input is not mutated
  });

  it('given a Deployment, when labelled, then the pod template carries the labels and the selector does not', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } },
    };
    const spec = withSlipwayLabels(deployment, owner).spec as { selector: unknown; template: { metadata: { labels: unknown } } };
    expect(spec.template.metadata.labels).toEqual({ app: 'web', ...expected });
    expect(spec.selector).toEqual({ matchLabels: { app: 'web' } });
  });

  it('given a config that names its own managed-by, when labelled, then that one is kept on the object and its pods (probe: a Service selecting it lost its endpoints)', () => {
    const kustomized = { app: 'web', 'app.kubernetes.io/managed-by': 'kustomize' };
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: kustomized },
      spec: { selector: { matchLabels: kustomized }, template: { metadata: { labels: kustomized }, spec: { containers: [] } } },
    };
    const labelled = withSlipwayLabels(deployment, owner);
    const spec = labelled.spec as { selector: unknown; template: { metadata: { labels: Record<string, string> } } };
    expect(labelled.metadata.labels).toEqual({ ...expected, ...kustomized });
    expect(spec.template.metadata.labels).toEqual({ ...expected, ...kustomized });
    expect(spec.selector).toEqual({ matchLabels: kustomized });
  });

  it('given a CronJob, when labelled, then the pod template inside the job template carries the labels', () => {
    const cronJob: KubeObject = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    };
    const spec = withSlipwayLabels(cronJob, owner).spec as { jobTemplate: { spec: { template: { metadata: { labels: unknown } } } } };
    expect(spec.jobTemplate.spec.template.metadata.labels).toEqual(expected);
  });
});
