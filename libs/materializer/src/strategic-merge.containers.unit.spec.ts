import { at, given, names } from './spec-helpers';

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: app:1
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
        volumeMounts:
        - {name: data, mountPath: /data}
        ports:
        - {containerPort: 8080, protocol: TCP}
      - name: sidecar
        image: proxy:1
`;
const containers = (result: ReturnType<ReturnType<typeof given>['whenPatched']>) =>
  at(result, 'spec', 'template', 'spec', 'containers');

describe('strategic merge of containers (merge key: name)', () => {
  it('given two containers, when a patch changes one image, then only that container changes', () => {
    const result = given(deployment).whenPatched(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {template: {spec: {containers: [{name: sidecar, image: proxy:2}]}}}`);
    expect(at(containers(result), 0)).toEqual({ name: 'sidecar', image: 'proxy:2' });
    expect(at(containers(result), 1, 'image')).toBe('app:1');
    expect(at(containers(result), 1, 'env')).toHaveLength(2);
  });

  it('given a container, when a patch adds a new one, then kustomize puts the patch elements first', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: logger, image: log:1}]}}}`);
    expect(names(containers(result))).toEqual(['logger', 'app', 'sidecar']);
  });

  it('given [app, sidecar], when a patch names [sidecar, extra], then the order is sidecar, extra, app', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: sidecar, args: [-v]}, {name: extra, image: x}]}}}`);
    expect(names(containers(result))).toEqual(['sidecar', 'extra', 'app']);
    expect(at(containers(result), 0)).toEqual({ name: 'sidecar', image: 'proxy:1', args: ['-v'] });
  });

  it('given env on a container, when a patch sets one variable and adds another, then env merges by name', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, env: [{name: B, value: "20"}, {name: C, value: "3"}]}]}}}`);
    expect(at(containers(result), 0, 'env')).toEqual([
      { name: 'B', value: '20' }, { name: 'C', value: '3' }, { name: 'A', value: '1' },
    ]);
  });

  it('given an env var with value, when a patch switches it to valueFrom and nulls value, then value is gone', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, env: [{name: A, value: null, valueFrom: {secretKeyRef: {name: s, key: k}}}]}]}}}`);
    expect(at(containers(result), 0, 'env', 0)).toEqual({ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } });
  });

  it('given volumeMounts, when a patch mounts at the same mountPath, then the mount merges (key: mountPath)', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, volumeMounts: [{mountPath: /data, readOnly: true}, {name: tmp, mountPath: /tmp}]}]}}}`);
    expect(at(containers(result), 0, 'volumeMounts')).toEqual([
      { name: 'data', mountPath: '/data', readOnly: true }, { name: 'tmp', mountPath: '/tmp' },
    ]);
  });

  it('given a volumeMount with a name, when a patch reuses the name at another path, then both mounts exist', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, volumeMounts: [{name: data, mountPath: /other}]}]}}}`);
    expect(names(at(containers(result), 0, 'volumeMounts'), 'mountPath')).toEqual(['/other', '/data']);
  });

  it('given a TCP port, when a patch names the containerPort without protocol, then it merges into that port', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, ports: [{containerPort: 8080, name: http}]}]}}}`);
    expect(at(containers(result), 0, 'ports')).toEqual([{ containerPort: 8080, protocol: 'TCP', name: 'http' }]);
  });

  it('given ports, when a patch adds the same containerPort over UDP, then both exist, new first, base order kept', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, ports: [{containerPort: 9090, protocol: TCP}, {containerPort: 8080, protocol: UDP}]}]}}}`);
    // kustomize 5.8.2 output for this case: multi-key lists keep base elements in base order
    expect(at(containers(result), 0, 'ports')).toEqual([
      { containerPort: 9090, protocol: 'TCP' }, { containerPort: 8080, protocol: 'UDP' }, { containerPort: 8080, protocol: 'TCP' },
    ]);
  });

  it('given 8080/UDP and 8080/TCP, when a patch names containerPort 8080 without protocol, then it merges into TCP and UDP stays', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, ports: [{containerPort: 8080, protocol: UDP}]}]}}}`, `
spec: {template: {spec: {containers: [{name: app, ports: [{containerPort: 8080, name: http}]}]}}}`);
    expect(at(containers(result), 0, 'ports')).toEqual([
      { containerPort: 8080, protocol: 'UDP' }, { containerPort: 8080, protocol: 'TCP', name: 'http' },
    ]);
  });

  it('given env naming A twice, when a patch sets A, then the first A merges and the second stays (kubectl)', () => {
    const result = given(deployment).whenPatched(`
spec: {template: {spec: {containers: [{name: app, env: [{name: A, value: "1"}, {name: B, value: "2"}, {name: A, value: "3"}, {$patch: replace}]}]}}}`, `
spec: {template: {spec: {containers: [{name: app, env: [{name: A, value: x}]}]}}}`);
    expect(at(containers(result), 0, 'env')).toEqual([
      { name: 'A', value: 'x' }, { name: 'B', value: '2' }, { name: 'A', value: '3' },
    ]);
  });

  it('given initContainers, when a patch adds one, then initContainers merge by name too', () => {
    const result = given(`
apiVersion: apps/v1
kind: Deployment
spec: {template: {spec: {initContainers: [{name: migrate, image: m:1}], containers: [{name: app}]}}}`)
      .whenPatched(`spec: {template: {spec: {initContainers: [{name: migrate, image: m:2}, {name: warm, image: w}]}}}`);
    expect(at(result, 'spec', 'template', 'spec', 'initContainers')).toEqual([
      { name: 'migrate', image: 'm:2' }, { name: 'warm', image: 'w' },
    ]);
  });

  it('given ephemeralContainers on a Pod, when a patch adds env, then it merges by container name and env name', () => {
    const result = given(`
apiVersion: v1
kind: Pod
spec: {containers: [{name: app}], ephemeralContainers: [{name: debug, env: [{name: X, value: a}]}]}`)
      .whenPatched(`spec: {ephemeralContainers: [{name: debug, env: [{name: Y, value: b}]}]}`);
    expect(at(result, 'spec', 'ephemeralContainers', 0, 'env')).toEqual([{ name: 'Y', value: 'b' }, { name: 'X', value: 'a' }]);
  });

  it('given args on a container, when a patch sets args, then the list is replaced (no merge key)', () => {
    const result = given(`
apiVersion: apps/v1
kind: Deployment
spec: {template: {spec: {containers: [{name: app, args: [a, b], command: [run]}]}}}`)
      .whenPatched(`spec: {template: {spec: {containers: [{name: app, args: [c]}]}}}`);
    expect(at(result, 'spec', 'template', 'spec', 'containers', 0)).toEqual({ name: 'app', args: ['c'], command: ['run'] });
  });

  it('given a container, when a patch sets resources, then nested maps merge field by field', () => {
    const result = given(`
apiVersion: apps/v1
kind: Deployment
spec: {template: {spec: {containers: [{name: app, resources: {limits: {cpu: "1", memory: 1Gi}}}]}}}`)
      .whenPatched(`spec: {template: {spec: {containers: [{name: app, resources: {limits: {cpu: "2"}, requests: {cpu: 500m}}}]}}}`);
    expect(at(result, 'spec', 'template', 'spec', 'containers', 0, 'resources')).toEqual({
      limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m' },
    });
  });
});
