import { diffRows } from './diff-rows';

/** A Deployment as Slipway applies it: only the fields its config sets. */
const deployment = (podSpec: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dd' },
  spec: { ...spec, selector: { matchLabels: { app: 'dd' } }, template: { metadata: { labels: { app: 'dd' } }, spec: podSpec } },
});

describe('diffRows of "" the API server replaces with its default (a probe found imagePullPolicy: "" drift right after a clean push)', () => {
  it('given applied "" of defaulted fields, when the live object holds their defaults, then there is no drift', () => {
    const applied = deployment({
      restartPolicy: '', dnsPolicy: '', schedulerName: '',
      containers: [
        { name: 'tagged', image: 'nginx:1.25', imagePullPolicy: '', terminationMessagePath: '', terminationMessagePolicy: '', ports: [{ containerPort: 80, protocol: '' }] },
        { name: 'untagged', image: 'registry.example:5000/team/app', imagePullPolicy: '' },
        { name: 'latest', image: 'app:latest', imagePullPolicy: '', readinessProbe: { httpGet: { port: 80, scheme: '' } } },
        { name: 'digest', image: 'app@sha256:0123', imagePullPolicy: '' },
      ],
    }, { strategy: { type: '' } });
    const live = deployment({
      restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler',
      containers: [
        { name: 'tagged', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ports: [{ containerPort: 80, protocol: 'TCP' }] },
        { name: 'untagged', image: 'registry.example:5000/team/app', imagePullPolicy: 'Always' },
        { name: 'latest', image: 'app:latest', imagePullPolicy: 'Always', readinessProbe: { httpGet: { port: 80, scheme: 'HTTP' } } },
        { name: 'digest', image: 'app@sha256:0123', imagePullPolicy: 'IfNotPresent' },
      ],
    }, { strategy: { type: 'RollingUpdate' } });
    expect(diffRows(applied, live)).toEqual([]);
  });

  it('given applied "", when the live value is another than the default (changed since), then it is drift', () => {
    const applied = deployment({ containers: [{ name: 'c', image: 'nginx:1.25', imagePullPolicy: '' }] }, { strategy: { type: '' } });
    const live = deployment({ containers: [{ name: 'c', image: 'nginx:1.25', imagePullPolicy: 'Never' }] }, { strategy: { type: 'Recreate' } });
    expect(diffRows(applied, live)).toEqual([
      { key: 'spec.strategy.type', expected: '', got: 'Recreate' },
      { key: 'spec.template.spec.containers[name="c"].imagePullPolicy', expected: '', got: 'Never' },
    ]);
  });

  it('given a Service and a Secret sent with "" types, when they read back as ClusterIP and Opaque, then there is no drift; a custom resource\'s "" is its own', () => {
    const service = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }], ...spec } });
    expect(diffRows(service({ type: '', sessionAffinity: '' }), service({ type: 'ClusterIP', sessionAffinity: 'None' }))).toEqual([]);
    const secret = (type: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type });
    expect(diffRows(secret(''), secret('Opaque'))).toEqual([]);
    const custom = (type: string) => ({ apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 's' }, spec: { type } });
    expect(diffRows(custom(''), custom('ClusterIP'))).toEqual([{ key: 'spec.type', expected: '', got: 'ClusterIP' }]);
  });

  it('given zeros of probes and Services the API server defaults, allocates or drops, when they read back so, then there is no drift', () => {
    const probe = { httpGet: { port: 80 }, initialDelaySeconds: 0, timeoutSeconds: 0, periodSeconds: 0, successThreshold: 0, failureThreshold: 0 };
    const applied = deployment({ containers: [{ name: 'c', image: 'nginx:1.25', livenessProbe: probe, envFrom: [{ prefix: '', configMapRef: { name: 'x' } }], ports: [{ containerPort: 80, name: '' }] }], volumes: [{ name: 'v', emptyDir: { medium: '' } }] });
    const live = deployment({
      containers: [{ name: 'c', image: 'nginx:1.25', livenessProbe: { httpGet: { port: 80 }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }, envFrom: [{ configMapRef: { name: 'x' } }], ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      volumes: [{ name: 'v', emptyDir: {} }],
    });
    expect(diffRows(applied, live)).toEqual([]);
    const service = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec });
    expect(diffRows(
      service({ clusterIP: '', publishNotReadyAddresses: false, externalName: '', ports: [{ port: 80, name: '', nodePort: 0 }] }),
      service({ clusterIP: '10.0.0.75', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] }),
    )).toEqual([]);
    // a probe changed since still is drift
    const changed = deployment({ containers: [{ name: 'c', image: 'nginx:1.25', livenessProbe: { httpGet: { port: 80 }, timeoutSeconds: 1, periodSeconds: 30, successThreshold: 1, failureThreshold: 3, initialDelaySeconds: 5 } }] });
    expect(diffRows(deployment({ containers: [{ name: 'c', image: 'nginx:1.25', livenessProbe: probe }] }), changed).map((row) => row.key)).toEqual([
      'spec.template.spec.containers[name="c"].livenessProbe.initialDelaySeconds', 'spec.template.spec.containers[name="c"].livenessProbe.periodSeconds',
    ]);
  });

  it('given an EndpointSlice\'s port named "" (a pointer, kept), when the live one has none, then it is drift', () => {
    const slice = (ports: unknown[]) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e' }, addressType: 'IPv4', ports });
    expect(diffRows(slice([{ name: '', port: 80 }]), slice([{ port: 80 }]))).toEqual([{ key: 'ports[0].name', expected: '', got: '<missing>' }]);
  });
});
