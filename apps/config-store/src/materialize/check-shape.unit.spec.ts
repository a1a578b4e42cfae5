import { identityProblems, shapeProblems } from './check-shape';

const configMap = { apiVersion: 'v1', kind: 'ConfigMap' };
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };

describe('shapeProblems', () => {
  it('names data that is not a mapping of strings, and fields a ConfigMap has not', () => {
    expect(shapeProblems(configMap, { ...configMap, metadata: { name: 'c' }, data: ['a', 'b'] })).toEqual(['data must be a mapping of strings, got a list']);
    expect(shapeProblems(configMap, { ...configMap, metadata: { name: 'c' }, data: { a: 1 } })).toEqual(['data.a must be a string, got a number']);
    expect(shapeProblems(configMap, { ...configMap, metadata: { name: 'c' }, x: 1 })).toEqual(['unknown field "x" for a ConfigMap']);
    expect(shapeProblems(configMap, { ...configMap, metadata: { name: 'c', labels: { a: true } }, data: null })).toEqual(['metadata.labels.a must be a string, got a boolean']);
  });

  it('names a workload spec or pod template that is not a mapping, and containers that are not a list', () => {
    expect(shapeProblems(deployment, { ...deployment, metadata: { name: 'w' }, spec: null })).toEqual(['spec must be a mapping, got null']);
    expect(shapeProblems(deployment, { ...deployment, metadata: { name: 'w' }, spec: { template: { spec: { containers: 'x' } } } }))
      .toEqual(['spec.template.spec.containers must be a list, got a string']);
    // a value is described, never shown: it may be a Secret's
    const secret = { apiVersion: 'v1', kind: 'Secret' };
    expect(shapeProblems(secret, { ...secret, metadata: { name: 's' }, stringData: { password: 12345678 } })).toEqual(['stringData.password must be a string, got a number']);
  });

  it('names a Secret\'s data and a ConfigMap\'s binaryData that do not decode as base64, never showing them (probe)', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret' };
    const problems = shapeProblems(secret, { ...secret, metadata: { name: 's' }, data: { ok: 'aHVudGVyMg==', wrapped: 'aHVu\ndGVy\r\nMg==', empty: '', k: 'NotBase64!!LeakA1111', short: 'aHVudGVyMg' } });
    expect(problems).toEqual(['data.k must be base64, as the API server decodes it (give text under stringData instead)', 'data.short must be base64, as the API server decodes it (give text under stringData instead)']);
    expect(JSON.stringify(problems)).not.toContain('Leak');
    expect(shapeProblems(configMap, { ...configMap, metadata: { name: 'c' }, binaryData: { bin: 'AAE=' }, data: { text: 'not base64!' } })).toEqual([]);
    expect(shapeProblems(configMap, { ...configMap, metadata: { name: 'c' }, binaryData: { bin: 'AA E=' } })).toEqual(['binaryData.bin must be base64, as the API server decodes it']);
  });

  it('names a list of objects (kind: List), which no push could apply (probe)', () => {
    const list = { apiVersion: 'v1', kind: 'List' };
    expect(shapeProblems(list, { ...list, metadata: { name: 'l' }, items: [] })).toEqual([
      "a List is kubectl's way to send several objects, which the API server has no resource for: write each of its items as a document of its own",
    ]);
    const deployments = { apiVersion: 'apps/v1', kind: 'DeploymentList' };
    expect(shapeProblems(deployments, { ...deployments, metadata: { name: 'l' } })).toHaveLength(1);
    const custom = { apiVersion: 'example.com/v1', kind: 'WidgetList' };
    expect(shapeProblems(custom, { ...custom, metadata: { name: 'l' } })).toEqual([]);
  });

  it('takes null entries as unset, as the API server does', () => {
    expect(shapeProblems(configMap, { ...configMap, metadata: { name: 'c', labels: { team: null } }, data: { empty: null } })).toEqual([]);
  });

  it('accepts well-formed objects, missing optional parts, and leaves custom resources to the API server', () => {
    expect(shapeProblems(configMap, { ...configMap, metadata: { name: 'c' }, data: { a: 'b' }, immutable: true })).toEqual([]);
    expect(shapeProblems(deployment, { ...deployment, metadata: { name: 'w' }, spec: { replicas: 2, template: { spec: { containers: [] } } } })).toEqual([]);
    const custom = { apiVersion: 'example.com/v1', kind: 'ConfigMap' };
    expect(shapeProblems(custom, { ...custom, metadata: { name: 'c' }, data: ['a'], anything: 1 })).toEqual([]);
  });
});

describe('identityProblems', () => {
  const base = { apiVersion: 'apps/v1', kind: 'Deployment', objectName: 'web' };
  it('names what a patch changed of the object\'s identity', () => {
    expect(identityProblems(base, { kind: 'Deployment' })).toEqual(['apiVersion must stay in the API group of "apps/v1", got nothing', 'metadata.name must stay "web", got nothing']);
    expect(identityProblems(base, { apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'web' } })).toEqual(['apiVersion must stay in the API group of "apps/v1", got "v1"']);
    // another version of the same group is the same object (as an upgrade of a deprecated API moves it)
    expect(identityProblems({ apiVersion: 'batch/v1beta1', kind: 'CronJob', objectName: 'c' }, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' } })).toEqual([]);
    // but a built-in moves only to a version known to serve it (its shape is checked as of that one)
    expect(identityProblems({ apiVersion: 'batch/v1', kind: 'CronJob', objectName: 'c' }, { apiVersion: 'batch/v2', kind: 'CronJob', metadata: { name: 'c' } }))
      .toEqual(['apiVersion "batch/v2" does not serve a CronJob']);
    expect(identityProblems(base, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' } })).toEqual(['kind must stay "Deployment", got "StatefulSet"']);
    expect(identityProblems(base, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } })).toEqual([]);
  });
});

describe('the types of a workload\'s container fields, as the API server\'s typed apply checks them', () => {
  const deployment = (container: Record<string, unknown>) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { template: { spec: { initContainers: [{ name: 'init', image: 'i:1' }], containers: [{ name: 'app', image: 'a:1', ...container }] } } },
  });
  const meta = { apiVersion: 'apps/v1', kind: 'Deployment' };

  it.each([
    [{ image: 5 }, 'spec.template.spec.containers[0].image must be a string, got a number'],
    [{ env: [{ name: 'DB_PASSWORD', value: { inner: 'hunter2-41' } }] }, 'spec.template.spec.containers[0].env[0].value must be a string, got a mapping'],
    [{ resources: 'big' }, 'spec.template.spec.containers[0].resources must be a mapping, got a string'],
    [{ resources: { limits: { cpu: ['1'] } } }, 'spec.template.spec.containers[0].resources.limits.cpu must be a quantity (a string or a number), got a list'],
    [{ ports: [{ containerPort: 80, protocol: 7 }] }, 'spec.template.spec.containers[0].ports[0].protocol must be a string, got a number'],
    [{ args: 'run' }, 'spec.template.spec.containers[0].args must be a list, got a string'],
  ])('refuses %j, naming the field and never its value', (container, problem) => {
    const problems = shapeProblems(meta, deployment(container) as never);
    expect(problems).toEqual([problem]);
    expect(problems.join()).not.toContain('hunter2-41');
  });

  it('takes fields of their types, quantities as numbers, and null as unset', () => {
    expect(shapeProblems(meta, deployment({
      env: [{ name: 'A', value: 'x' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'C', value: null }],
      resources: { requests: { cpu: 0.5, memory: '1Gi' } }, ports: [{ containerPort: 80, protocol: 'TCP' }], command: ['run'], image: null,
    }) as never)).toEqual([]);
  });
});
