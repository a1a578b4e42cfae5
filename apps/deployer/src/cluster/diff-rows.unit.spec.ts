import { diffRows, MISSING } from './diff-rows';
import { HIDDEN, HIDDEN_DIFFERENT } from './secret-drift';

/** A Deployment as Slipway applies it: only the fields its config sets. */
const deployment = (podSpec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 2, template: { spec: podSpec } }, ...extra,
});
const web = { name: 'web', image: 'web:1' };
const sidecar = { name: 'proxy', image: 'proxy:2' };

describe('diffRows', () => {
  describe('fields', () => {
    it('given a live object that only adds fields (defaults, status), when compared, then there is no drift', () => {
      const live = {
        ...deployment({ containers: [{ ...web, imagePullPolicy: 'IfNotPresent' }], dnsPolicy: 'ClusterFirst' }),
        metadata: { name: 'web', uid: 'u', labels: { app: 'web', extra: 'y' } },
        status: { readyReplicas: 2 },
      };
      expect(diffRows(deployment({ containers: [web] }), live)).toEqual([]);
    });

    it('given changed and removed fields, when compared, then each is a row named by its path', () => {
      const live = { ...deployment({ containers: [{ name: 'web' }] }), metadata: { name: 'web', labels: {} } };
      live.spec.replicas = 5;
      expect(diffRows(deployment({ containers: [web] }), live)).toEqual([
        { key: 'metadata.labels.app', expected: 'web', got: MISSING },
        { key: 'spec.replicas', expected: '2', got: '5' },
        { key: 'spec.template.spec.containers[name="web"].image', expected: 'web:1', got: MISSING },
      ]);
    });

    it('given a value of another type, when compared, then it is drift shown as JSON', () => {
      expect(diffRows({ o: { a: 1 } }, { o: 'text' })).toEqual([{ key: 'o', expected: '{"a":1}', got: 'text' }]);
      expect(diffRows({ n: 80 }, { n: '80' })).toEqual([{ key: 'n', expected: '80', got: '80' }]);
      expect(diffRows({ b: true }, { b: 'true' })).toEqual([{ key: 'b', expected: 'true', got: 'true' }]);
    });

    it('given an applied null, when compared, then there is no drift whatever the live object holds: the apply left it unset, and the API server defaults it (probe: drift for good); but for a map of strings\' entry, set to ""', () => {
      expect(diffRows({ a: null }, {})).toEqual([]);
      expect(diffRows({ a: null }, { a: 'x' })).toEqual([]);
      // but an entry of a map of strings, which null sets to "": another value is someone's change (review)
      expect(diffRows({ metadata: { labels: { team: null } } }, { metadata: { labels: { team: 'x' } } })).toEqual([{ key: 'metadata.labels.team', expected: 'null', got: 'x' }]);
      expect(diffRows({ data: { flag: null } }, { data: { flag: 'on' } })).toEqual([{ key: 'data.flag', expected: 'null', got: 'on' }]);
      // a LabelSelector struct is no map of strings: its matchLabels applied null is unset (review)
      expect(diffRows({ spec: { selector: { matchLabels: null } } }, { spec: { selector: { matchLabels: { app: 'x' } } } })).toEqual([]);
      expect(diffRows({ spec: { revisionHistoryLimit: null, ports: [{ port: 80, protocol: null }] } }, { spec: { revisionHistoryLimit: 10, ports: [{ port: 80, protocol: 'TCP' }] } })).toEqual([]);
      // a label or data entry sent as null reads back "" (checked against kube-apiserver 1.36)
      expect(diffRows({ metadata: { labels: { team: null } } }, { metadata: { labels: { team: '' } } })).toEqual([]);
    });

    it('given an applied empty list or map, when the API server left the field out, then there is no drift', () => {
      const applied = {
        ...deployment({ containers: [{ ...web, args: [], env: [] }], tolerations: [] }),
        metadata: { name: 'web', labels: { app: 'web' }, annotations: {} },
      };
      expect(diffRows(applied, deployment({ containers: [web] }))).toEqual([]);
      expect(diffRows({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: {} }, data: {} }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual([]);
    });

    it('given an applied empty list or map, when the live field holds something else, then that is still compared', () => {
      expect(diffRows(deployment({ containers: [{ ...web, args: [] }] }), deployment({ containers: [{ ...web, args: ['--debug'] }] }))).toEqual([
        { key: 'spec.template.spec.containers[name="web"].args[0]', expected: MISSING, got: '--debug' },
      ]);
      expect(diffRows({ data: {} }, { data: 'text' })).toEqual([{ key: 'data', expected: '{}', got: 'text' }]);
      // An empty element of a list is no omitted field: the list lost an element.
      expect(diffRows({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { items: [{}] } }, { apiVersion: 'example.com/v1', kind: 'Widget', spec: { items: [] } })).toEqual([
        { key: 'spec.items[0]', expected: '{}', got: MISSING },
      ]);
    });

    it('given a field named like an Object prototype member, when live lacks it, then it is missing', () => {
      expect(diffRows({ data: { constructor: 'x' } }, { data: {} })).toEqual([{ key: 'data.constructor', expected: 'x', got: MISSING }]);
    });
  });

  describe('keyed lists (merge keys)', () => {
    it('given containers that came back in another order, when compared, then there is no drift', () => {
      expect(diffRows(deployment({ containers: [web, sidecar] }), deployment({ containers: [sidecar, web] }))).toEqual([]);
    });

    it('given a live list with an element another party added, when compared, then that element is no drift', () => {
      const applied = deployment({ containers: [{ ...web, env: [{ name: 'A', value: '1' }] }] });
      const live = deployment({ containers: [{ ...web, env: [{ name: 'INJECTED', value: 'x' }, { name: 'A', value: '1' }] }, sidecar] });
      expect(diffRows(applied, live)).toEqual([]);
    });

    it('given an applied element that is gone, when compared, then it is one row named by its key', () => {
      expect(diffRows(deployment({ containers: [web, sidecar] }), deployment({ containers: [web] }))).toEqual([
        { key: 'spec.template.spec.containers[name="proxy"]', expected: '{"name":"proxy","image":"proxy:2"}', got: MISSING },
      ]);
    });

    it('given a changed field inside a matched element of a reordered list, when compared, then the row names the element by key', () => {
      const applied = deployment({ containers: [web, sidecar] });
      const live = deployment({ containers: [{ ...sidecar, image: 'proxy:3' }, web] });
      expect(diffRows(applied, live)).toEqual([{ key: 'spec.template.spec.containers[name="proxy"].image', expected: 'proxy:2', got: 'proxy:3' }]);
    });

    it('given env, volumes, volume mounts and init containers, when reordered, then they match by their own keys', () => {
      const mounts = [{ name: 'data', mountPath: '/data' }, { name: 'data', mountPath: '/cache', subPath: 'c' }];
      const applied = deployment({
        initContainers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }],
        containers: [{ ...web, env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], volumeMounts: mounts }],
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'conf', configMap: { name: 'c' } }],
      });
      const live = deployment({
        initContainers: [{ name: 'b', image: 'b' }, { name: 'a', image: 'a' }],
        containers: [{ ...web, env: [{ name: 'Y', value: '2' }, { name: 'X', value: '9' }], volumeMounts: [...mounts].reverse() }],
        volumes: [{ name: 'conf', configMap: { name: 'c', defaultMode: 420 } }, { name: 'data', emptyDir: {} }],
      });
      expect(diffRows(applied, live)).toEqual([{ key: 'spec.template.spec.containers[name="web"].env[name="X"].value', expected: '1', got: '9' }]);
    });

    it('given a volume mount gone, when compared, then the row names it by mountPath', () => {
      const applied = deployment({ containers: [{ ...web, volumeMounts: [{ name: 'd', mountPath: '/data' }] }] });
      expect(diffRows(applied, deployment({ containers: [web] }))).toEqual([
        { key: 'spec.template.spec.containers[name="web"].volumeMounts', expected: '[{"name":"d","mountPath":"/data"}]', got: MISSING },
      ]);
      expect(diffRows(applied, deployment({ containers: [{ ...web, volumeMounts: [{ name: 'd', mountPath: '/other' }] }] }))).toEqual([
        { key: 'spec.template.spec.containers[name="web"].volumeMounts[mountPath="/data"]', expected: '{"name":"d","mountPath":"/data"}', got: MISSING },
      ]);
    });

    it('given container ports without a protocol, when the server defaulted it to TCP and reordered them, then there is no drift', () => {
      const applied = deployment({ containers: [{ ...web, ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }] });
      const live = deployment({ containers: [{ ...web, ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 80, protocol: 'TCP' }] }] });
      expect(diffRows(applied, live)).toEqual([]);
    });

    it('given the same port with two protocols, when one is gone, then the row names both keys', () => {
      const both = [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }];
      const applied = deployment({ containers: [{ ...web, ports: both }] });
      const live = deployment({ containers: [{ ...web, ports: [{ containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }] }] });
      expect(diffRows(applied, live)).toEqual([
        { key: 'spec.template.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"]', expected: '{"containerPort":53,"protocol":"UDP"}', got: MISSING },
      ]);
    });

    it('given Service ports, when reordered, then they match by port and protocol', () => {
      const service = (ports: unknown[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports } });
      const applied = service([{ name: 'http', port: 80 }, { name: 'https', port: 443 }]);
      expect(diffRows(applied, service([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }, { name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }]))).toEqual([]);
      expect(diffRows(applied, service([{ name: 'https', port: 443 }, { name: 'web', port: 80 }]))).toEqual([
        { key: 'spec.ports[port=80].name', expected: 'http', got: 'web' },
      ]);
    });

    it('given a Service port applied without its protocol, when the same port is also served over UDP first, then it is the TCP one', () => {
      const service = (ports: unknown[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns' }, spec: { ports } });
      const applied = service([{ name: 'dns-tcp', port: 53, targetPort: 5353 }]);
      const live = [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 }];
      expect(diffRows(applied, service(live))).toEqual([]);
      // and a change of the TCP one is its drift
      expect(diffRows(applied, service([live[0], { ...live[1], targetPort: 8053 }]))).toEqual([
        { key: 'spec.ports[port=53].targetPort', expected: '5353', got: '8053' },
      ]);
    });

    it('given a CronJob, when its containers are reordered, then the merge keys are found under the job template too', () => {
      const cron = (containers: unknown[]) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers } } } } } });
      expect(diffRows(cron([web, sidecar]), cron([sidecar, web]))).toEqual([]);
    });

    it('given two applied elements with the same key, when both are live, then each is matched once', () => {
      const applied = deployment({ containers: [{ ...web, env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }] });
      expect(diffRows(applied, deployment({ containers: [{ ...web, env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }] }))).toEqual([]);
      expect(diffRows(applied, deployment({ containers: [{ ...web, env: [{ name: 'A', value: '1' }] }] }))).toEqual([
        { key: 'spec.template.spec.containers[name="web"].env[name="A"]', expected: '{"name":"A","value":"2"}', got: MISSING },
      ]);
    });
  });

  describe('atomic lists and sets', () => {
    it('given args in another order, when compared, then it is drift by position', () => {
      const applied = deployment({ containers: [{ ...web, args: ['--a', '--b'] }] });
      expect(diffRows(applied, deployment({ containers: [{ ...web, args: ['--b', '--a'] }] }))).toEqual([
        { key: 'spec.template.spec.containers[name="web"].args[0]', expected: '--a', got: '--b' },
        { key: 'spec.template.spec.containers[name="web"].args[1]', expected: '--b', got: '--a' },
      ]);
    });

    it('given an atomic list with an element added at its end, when compared, then the extra element is drift', () => {
      const applied = deployment({ containers: [{ ...web, command: ['run'] }] });
      expect(diffRows(applied, deployment({ containers: [{ ...web, command: ['run', '--debug'] }] }))).toEqual([
        { key: 'spec.template.spec.containers[name="web"].command[1]', expected: MISSING, got: '--debug' },
      ]);
    });

    it('given a secret flag\'s value added or changed live in args, when compared, then the row says only that it differs, whether or not its flag has a row (probe: a reader saw it)', () => {
      const key = (i: number) => `spec.template.spec.containers[name="web"].args[${i}]`;
      // added past the applied ones, the flag with it
      expect(diffRows(deployment({ containers: [{ ...web, args: ['--verbose'] }] }), deployment({ containers: [{ ...web, args: ['--verbose', '--token', 'Live-Secret-1'] }] }))).toEqual([
        { key: key(1), expected: MISSING, got: '--token' },
        { key: key(2), expected: MISSING, got: HIDDEN_DIFFERENT },
      ]);
      // a flag renamed to a secret's in place: the value after it is hidden on both sides
      expect(diffRows(deployment({ containers: [{ ...web, args: ['--mode', 'fast'] }] }), deployment({ containers: [{ ...web, args: ['--client-secret', 'Live-Secret-2'] }] }))).toEqual([
        { key: key(0), expected: '--mode', got: '--client-secret' },
        { key: key(1), expected: HIDDEN, got: HIDDEN_DIFFERENT },
      ]);
      // a flag that is no secret's, and a flag after a secret flag, are shown
      expect(diffRows(deployment({ containers: [{ ...web, args: [] }] }), deployment({ containers: [{ ...web, args: ['--password-stdin', '--verbose'] }] }))).toEqual([
        { key: key(0), expected: MISSING, got: '--password-stdin' },
        { key: key(1), expected: MISSING, got: '--verbose' },
      ]);
    });

    it('given tolerations (atomic, of objects), when the server defaults a field inside, then only applied fields count', () => {
      const applied = deployment({ containers: [web], tolerations: [{ key: 'k', operator: 'Exists' }] });
      expect(diffRows(applied, deployment({ containers: [web], tolerations: [{ key: 'k', operator: 'Exists', effect: '' }] }))).toEqual([]);
    });

    it('given finalizers (a set), when others are added or the order changes, then only a missing applied one is drift', () => {
      const object = (finalizers: string[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers } });
      expect(diffRows(object(['a.io/x', 'b.io/y']), object(['c.io/z', 'b.io/y', 'a.io/x']))).toEqual([]);
      expect(diffRows(object(['a.io/x', 'b.io/y']), object(['b.io/y']))).toEqual([{ key: 'metadata.finalizers[="a.io/x"]', expected: 'a.io/x', got: MISSING }]);
    });

    it('given a custom resource (no merge keys), when its list is reordered, then it is drift by position', () => {
      const custom = (items: unknown[]) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { containers: items } });
      expect(diffRows(custom([web, sidecar]), custom([sidecar, web]))).toEqual([
        { key: 'spec.containers[0].name', expected: 'web', got: 'proxy' },
        { key: 'spec.containers[0].image', expected: 'web:1', got: 'proxy:2' },
        { key: 'spec.containers[1].name', expected: 'proxy', got: 'web' },
        { key: 'spec.containers[1].image', expected: 'proxy:2', got: 'web:1' },
      ]);
    });

    it('given a list where an object is expected, or the other way round, when compared, then the whole value is one row', () => {
      expect(diffRows({ l: [1] }, { l: { a: 1 } })).toEqual([{ key: 'l', expected: '[1]', got: '{"a":1}' }]);
      expect(diffRows({ o: { a: 1 } }, { o: [1] })).toEqual([{ key: 'o', expected: '{"a":1}', got: '[1]' }]);
    });
  });

  describe('quantities', () => {
    const resources = (requests: Record<string, unknown>, limits: Record<string, unknown> = {}) =>
      deployment({ containers: [{ ...web, resources: { requests, limits } }] });

    it('given the canonical forms the API server returns, when compared, then there is no drift', () => {
      const applied = resources({ cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '1e3' }, { cpu: 0.5, memory: '1G', 'hugepages-2Mi': '1024Mi' });
      const live = resources({ cpu: '1', memory: '1Gi', 'ephemeral-storage': '1k' }, { cpu: '500m', memory: '1000M', 'hugepages-2Mi': '1Gi' });
      expect(diffRows(applied, live)).toEqual([]);
    });

    it('given a resource value below a milli, when the API server rounded it up to one, then there is no drift', () => {
      expect(diffRows(resources({ cpu: '0.0000000015' }), resources({ cpu: '1m' }))).toEqual([]);
      expect(diffRows(resources({ cpu: '0.30000000000000004' }), resources({ cpu: '301m' }))).toEqual([]);
    });

    it('given a RuntimeClass overhead or a CSIStorageCapacity below a milli, when compared, then it keeps nano precision as the API server does', () => {
      const runtimeClass = (cpu: string) => ({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', handler: 'runc', overhead: { podFixed: { cpu } } });
      expect(diffRows(runtimeClass('0.0000000015'), runtimeClass('2n'))).toEqual([]);
      expect(diffRows(runtimeClass('0.0000000015'), runtimeClass('1m'))).toHaveLength(1);
      const capacity = (size: string) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'CSIStorageCapacity', storageClassName: 's', capacity: size });
      expect(diffRows(capacity('0.0000000015'), capacity('2n'))).toEqual([]);
    });

    it('given an emptyDir size below a milli, when compared, then it keeps nano precision as the API server does', () => {
      const scratch = (sizeLimit: string) => deployment({ containers: [web], volumes: [{ name: 's', emptyDir: { sizeLimit } }] });
      expect(diffRows(scratch('0.0000000015'), scratch('2n'))).toEqual([]);
      expect(diffRows(scratch('0.0000000015'), scratch('1m'))).toHaveLength(1);
    });

    it('given a custom resource, when its resources are spelled differently, then it is drift (it is stored as sent)', () => {
      const custom = (cpu: string) => ({ apiVersion: 'example.com/v1', kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'w', resources: { limits: { cpu } } }] } } } });
      expect(diffRows(custom('1000m'), custom('1'))).toEqual([{ key: 'spec.template.spec.containers[0].resources.limits.cpu', expected: '1000m', got: '1' }]);
    });

    it('given a quantity that really changed, when compared, then the row shows both spellings', () => {
      expect(diffRows(resources({ cpu: '1000m' }), resources({ cpu: '2' }))).toEqual([
        { key: 'spec.template.spec.containers[name="web"].resources.requests.cpu', expected: '1000m', got: '2' },
      ]);
    });

    it('given an invalid quantity, when compared, then it compares as text', () => {
      expect(diffRows(resources({ cpu: 'lots' }), resources({ cpu: 'lots' }))).toEqual([]);
      expect(diffRows(resources({ cpu: 'lots' }), resources({ cpu: '1' }))).toHaveLength(1);
    });

    it('given the same numbers outside quantity fields, when spelled differently, then it is drift', () => {
      expect(diffRows({ apiVersion: 'v1', kind: 'ConfigMap', data: { cpu: '1000m' } }, { apiVersion: 'v1', kind: 'ConfigMap', data: { cpu: '1' } })).toEqual([{ key: 'data.cpu', expected: '1000m', got: '1' }]);
      expect(diffRows(deployment({ containers: [{ ...web, env: [{ name: 'M', value: '1Gi' }] }] }), deployment({ containers: [{ ...web, env: [{ name: 'M', value: '1024Mi' }] }] }))).toHaveLength(1);
    });

    it('given the other quantity fields of pods and claims, when canonicalised, then there is no drift', () => {
      const applied = deployment({
        containers: [{ ...web, env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1024Ki' } } }] }],
        overhead: { cpu: '250m' },
        volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '0.5Gi' } }, { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '1024Mi' } } } } } }],
      });
      const live = deployment({
        containers: [{ ...web, env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } }] }],
        overhead: { cpu: '0.25' },
        volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '512Mi' } }, { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '1Gi' } } } } } }],
      });
      expect(diffRows(applied, live)).toEqual([]);
    });

    it('given a StatefulSet claim template and a PersistentVolumeClaim, when canonicalised, then storage requests compare by value', () => {
      const claim = (storage: string) => ({ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
      const set = (storage: string) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { volumeClaimTemplates: [claim(storage)] } });
      expect(diffRows(set('2048Mi'), set('2Gi'))).toEqual([]);
      expect(diffRows({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...claim('1000M') }, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...claim('1G') })).toEqual([]);
    });

    it('given kind-specific resource lists, when canonicalised, then they compare by value only in that kind', () => {
      const quota = (kind: string, cpu: string) => ({ apiVersion: 'v1', kind, spec: { hard: { 'requests.cpu': cpu } } });
      expect(diffRows(quota('ResourceQuota', '2000m'), quota('ResourceQuota', '2'))).toEqual([]);
      expect(diffRows(quota('Widget', '2000m'), quota('Widget', '2'))).toHaveLength(1);
      const limitRange = (cpu: string) => ({ apiVersion: 'v1', kind: 'LimitRange', spec: { limits: [{ type: 'Container', default: { cpu }, max: { cpu } }] } });
      expect(diffRows(limitRange('0.5'), limitRange('500m'))).toEqual([]);
      const volume = (storage: string) => ({ apiVersion: 'v1', kind: 'PersistentVolume', spec: { capacity: { storage } } });
      expect(diffRows(volume('1024Gi'), volume('1Ti'))).toEqual([]);
      const runtimeClass = (cpu: string, memory: string) => ({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', handler: 'runc', overhead: { podFixed: { cpu, memory } } });
      expect(diffRows(runtimeClass('250m', '1024Mi'), runtimeClass('0.25', '1Gi'))).toEqual([]);
      const capacity = (size: string, maximumVolumeSize: string) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'CSIStorageCapacity', storageClassName: 's', capacity: size, maximumVolumeSize });
      expect(diffRows(capacity('1024Gi', '0.5Ti'), capacity('1Ti', '512Gi'))).toEqual([]);
      expect(diffRows(capacity('1Ti', '1Gi'), capacity('2Ti', '1Gi'))).toEqual([{ key: 'capacity', expected: '1Ti', got: '2Ti' }]);
      const hpa = (averageValue: string) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', spec: { metrics: [{ type: 'Pods', pods: { target: { type: 'AverageValue', averageValue } } }] } });
      expect(diffRows(hpa('0.1'), hpa('100m'))).toEqual([]);
    });
  });
});
