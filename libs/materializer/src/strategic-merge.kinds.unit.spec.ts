import { jsonMergePatch } from './json-merge-patch';
import { podSpecPath, rootType } from './kinds';
import { types } from './merge-keys';
import { at, given, names, yaml } from './spec-helpers';
import { strategicMerge } from './strategic-merge';

import type { JsonObject, JsonValue } from './json';

const nest = (path: readonly string[], leaf: JsonValue): JsonObject =>
  path.reduceRight<JsonValue>((inner, key) => ({ [key]: inner }), leaf) as JsonObject;

describe('kinds and where their PodSpec lives', () => {
  it.each([
    ['v1', 'Pod', ['spec']],
    ['apps/v1', 'Deployment', ['spec', 'template', 'spec']],
    ['apps/v1', 'StatefulSet', ['spec', 'template', 'spec']],
    ['apps/v1', 'DaemonSet', ['spec', 'template', 'spec']],
    ['apps/v1', 'ReplicaSet', ['spec', 'template', 'spec']],
    ['batch/v1', 'Job', ['spec', 'template', 'spec']],
    ['batch/v1', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
  ])('given %s %s, then the PodSpec is at %j and its containers merge by name', (apiVersion, kind, path) => {
    expect(podSpecPath({ apiVersion, kind })).toEqual(path);
    const base = { apiVersion, kind, ...nest(path, { containers: [{ name: 'app', image: 'a' }] }) };
    const merged = strategicMerge(base, nest(path, { containers: [{ name: 'sidecar', image: 's' }] }));
    expect(names(at(merged, ...path, 'containers'))).toEqual(['sidecar', 'app']);
  });

  it('given an unknown kind, then it has no PodSpec path and no schema root', () => {
    expect(podSpecPath({ apiVersion: 'example.com/v1', kind: 'Widget' })).toBeUndefined();
    expect(rootType({ apiVersion: 'apps/v1beta1', kind: 'Deployment' })).toBeUndefined();
    expect(rootType({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe('Object');
  });

  it.each([
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'], ['coordination.k8s.io/v1', 'Lease'], ['discovery.k8s.io/v1', 'EndpointSlice'],
    ['resource.k8s.io/v1', 'ResourceClaim'], ['networking.k8s.io/v1', 'ServiceCIDR'],
  ])('given the built-in %s %s, then its finalizers merge as a set, as every object\'s metadata (fuzz: it read as a custom resource, replaced)', (apiVersion, kind) => {
    const merged = strategicMerge({ apiVersion, kind, metadata: { name: 'x', finalizers: ['a'] } }, { metadata: { finalizers: ['b'] } });
    expect(at(merged, 'metadata', 'finalizers')).toEqual(['b', 'a']);
    expect(strategicMerge({ apiVersion: 'example.com/v1', kind, metadata: { name: 'x', finalizers: ['a'] } }, { metadata: { finalizers: ['b'] } }))
      .toMatchObject({ metadata: { finalizers: ['b'] } });
  });

  it('given webhooks and admission policies, then their matchConditions (and a validating policy\'s variables) merge by name', () => {
    const hooks = strategicMerge(
      yaml('apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nwebhooks: [{name: a.x.io, matchConditions: [{name: m1, expression: "true"}, {name: m2, expression: "true"}]}]'),
      yaml('webhooks: [{name: a.x.io, matchConditions: [{name: m2, expression: "false"}, {name: m3, expression: "true"}]}]'));
    expect(at(hooks, 'webhooks', 0, 'matchConditions')).toEqual([{ name: 'm2', expression: 'false' }, { name: 'm3', expression: 'true' }, { name: 'm1', expression: 'true' }]);
    const policy = strategicMerge(
      yaml('apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nspec: {variables: [{name: v1, expression: a}], matchConditions: [{name: m1, expression: a}], validations: [{expression: a}]}'),
      yaml('spec: {variables: [{name: v2, expression: b}], matchConditions: [{name: m1, expression: b}], validations: [{expression: b}]}'));
    expect(at(policy, 'spec')).toEqual({ variables: [{ name: 'v2', expression: 'b' }, { name: 'v1', expression: 'a' }], matchConditions: [{ name: 'm1', expression: 'b' }], validations: [{ expression: 'b' }] });
  });

  it('given the merge-key table, then every type it references is defined in it', () => {
    const referenced = Object.values(types).flatMap((fields) =>
      Object.values(fields as Record<string, { type?: string }>).map((field) => field.type).filter(Boolean));
    expect(referenced.filter((type) => !(type! in types))).toEqual([]);
  });
});

describe('merge keys of the other built-in lists', () => {
  const pod = (spec: string) => `{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: ${spec}}`;

  it('given Service ports, when a patch changes port 80 and adds 9000, then ports merge by port; new ones go first', () => {
    const result = given(`
apiVersion: v1
kind: Service
spec: {ports: [{port: 80, targetPort: 8080, protocol: TCP}, {port: 443, targetPort: 8443}]}`)
      .whenPatched(`spec: {ports: [{port: 80, targetPort: 9090}, {port: 9000, name: admin}]}`);
    expect(at(result, 'spec', 'ports')).toEqual([
      { port: 9000, name: 'admin' }, { port: 80, targetPort: 9090, protocol: 'TCP' }, { port: 443, targetPort: 8443 },
    ]);
  });

  const dnsService = `
apiVersion: v1
kind: Service
spec: {ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]}`;

  it('given ports 53/UDP and 53/TCP, when a patch names port 53 without protocol, then it merges into TCP and UDP stays', () => {
    const result = given(dnsService).whenPatched(`spec: {ports: [{port: 53, targetPort: 5353}]}`);
    expect(at(result, 'spec', 'ports')).toEqual([
      { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 },
    ]);
  });

  it('given only 53/UDP, when a patch names port 53 without protocol, then it merges into that port, as kubectl merges by the merge key', () => {
    const result = given(`{apiVersion: v1, kind: Service, spec: {ports: [{name: dns, port: 53, protocol: UDP}]}}`)
      .whenPatched(`spec: {ports: [{port: 53, targetPort: 5353}]}`);
    expect(at(result, 'spec', 'ports')).toEqual([{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 }]);
  });

  it('given port 53 without protocol, when a patch names 53/UDP, then the port becomes UDP (one port, its name kept), as kubectl merges it', () => {
    const result = given(`{apiVersion: v1, kind: Service, spec: {ports: [{name: dns, port: 53}]}}`)
      .whenPatched(`spec: {ports: [{port: 53, protocol: UDP}]}`);
    expect(at(result, 'spec', 'ports')).toEqual([{ name: 'dns', port: 53, protocol: 'UDP' }]);
  });

  it('given ports 53/UDP and 53/TCP, when a patch adds 53/SCTP, then it is a port of its own', () => {
    const result = given(dnsService).whenPatched(`spec: {ports: [{name: dns-sctp, port: 53, protocol: SCTP}]}`);
    expect(at(result, 'spec', 'ports')).toEqual([
      { name: 'dns-sctp', port: 53, protocol: 'SCTP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    ]);
  });

  it('given ports 53/UDP and 53/TCP, when a patch deletes port 53 without protocol, then both go, as kubectl deletes by the merge key; with UDP named, only UDP', () => {
    expect(at(given(dnsService).whenPatched(`spec: {ports: [{port: 53, $patch: delete}]}`), 'spec', 'ports')).toEqual([]);
    expect(at(given(dnsService).whenPatched(`spec: {ports: [{port: 53, protocol: UDP, $patch: delete}]}`), 'spec', 'ports'))
      .toEqual([{ name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
  });

  it('given volumes, when a patch adds one and changes another, then volumes merge by name', () => {
    const result = given(pod('{containers: [{name: a}], volumes: [{name: v1, emptyDir: {}}]}'))
      .whenPatched(`spec: {volumes: [{name: v2, emptyDir: {medium: Memory}}, {name: v1, emptyDir: {sizeLimit: 1Gi}}]}`);
    expect(at(result, 'spec', 'volumes')).toEqual([
      { name: 'v2', emptyDir: { medium: 'Memory' } }, { name: 'v1', emptyDir: { sizeLimit: '1Gi' } },
    ]);
  });

  it('given imagePullSecrets, when a patch adds one, then they merge by name without duplicates', () => {
    const result = given(pod('{imagePullSecrets: [{name: a}, {name: b}]}'))
      .whenPatched(`spec: {imagePullSecrets: [{name: b}, {name: c}]}`);
    expect(names(at(result, 'spec', 'imagePullSecrets'))).toEqual(['b', 'c', 'a']);
  });

  it('given hostAliases, when a patch adds hostnames for an ip, then they merge by ip and hostnames is replaced', () => {
    const result = given(pod('{hostAliases: [{ip: 10.0.0.1, hostnames: [a]}, {ip: 10.0.0.2, hostnames: [b]}]}'))
      .whenPatched(`spec: {hostAliases: [{ip: 10.0.0.2, hostnames: [c, d]}]}`);
    expect(at(result, 'spec', 'hostAliases')).toEqual([
      { ip: '10.0.0.2', hostnames: ['c', 'd'] }, { ip: '10.0.0.1', hostnames: ['a'] },
    ]);
  });

  it('given tolerations, when a patch sets tolerations, then the list is replaced (atomic)', () => {
    const result = given(pod('{tolerations: [{key: a, operator: Exists}]}'))
      .whenPatched(`spec: {tolerations: [{key: b, operator: Exists}]}`);
    expect(at(result, 'spec', 'tolerations')).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('given topologySpreadConstraints, when a patch names the same topologyKey and whenUnsatisfiable, then they merge', () => {
    const result = given(pod(`{topologySpreadConstraints: [
      {topologyKey: zone, whenUnsatisfiable: DoNotSchedule, maxSkew: 1},
      {topologyKey: host, whenUnsatisfiable: ScheduleAnyway, maxSkew: 1}]}`))
      .whenPatched(`spec: {topologySpreadConstraints: [
        {topologyKey: zone, whenUnsatisfiable: DoNotSchedule, maxSkew: 3},
        {topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, maxSkew: 5}]}`);
    expect(at(result, 'spec', 'topologySpreadConstraints')).toEqual([
      { topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
      { topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 3 },
      { topologyKey: 'host', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 1 },
    ]);
  });

  const twoZoneConstraints = pod(`{topologySpreadConstraints: [
    {topologyKey: zone, whenUnsatisfiable: DoNotSchedule, maxSkew: 1},
    {topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, maxSkew: 1}]}`);

  it('given two constraints on one topologyKey, when a patch leaves out whenUnsatisfiable, then it merges into the first and keeps the other', () => {
    const result = given(twoZoneConstraints)
      .whenPatched(`spec: {topologySpreadConstraints: [{topologyKey: zone, maxSkew: 4}]}`);
    expect(at(result, 'spec', 'topologySpreadConstraints')).toEqual([
      { topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 4 },
      { topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 1 },
    ]);
  });

  it('given two constraints on one topologyKey, when a patch deletes the key without whenUnsatisfiable, then both go (kubectl)', () => {
    const result = given(twoZoneConstraints)
      .whenPatched(`spec: {topologySpreadConstraints: [{topologyKey: zone, $patch: delete}]}`);
    expect(at(result, 'spec', 'topologySpreadConstraints')).toEqual([]);
  });

  it('given finalizers, when a patch adds some, then they merge as a set: patch values first, no duplicates', () => {
    const result = given(`{apiVersion: v1, kind: ConfigMap, metadata: {name: c, finalizers: [a, b]}}`)
      .whenPatched(`metadata: {finalizers: [b, c]}`);
    expect(at(result, 'metadata', 'finalizers')).toEqual(['b', 'c', 'a']);
  });

  it('given ownerReferences, when a patch names the same uid, then the reference merges by uid', () => {
    const result = given(`{apiVersion: v1, kind: ConfigMap, metadata: {name: c, ownerReferences: [{uid: u1, kind: A, name: a}]}}`)
      .whenPatched(`metadata: {ownerReferences: [{uid: u1, controller: true}]}`);
    expect(at(result, 'metadata', 'ownerReferences')).toEqual([{ uid: 'u1', kind: 'A', name: 'a', controller: true }]);
  });

  it('given a StatefulSet, when a patch sets volumeClaimTemplates, then they are replaced (no merge key)', () => {
    const result = given(`{apiVersion: apps/v1, kind: StatefulSet, spec: {volumeClaimTemplates: [{metadata: {name: a}}, {metadata: {name: b}}]}}`)
      .whenPatched(`spec: {volumeClaimTemplates: [{metadata: {name: c}}]}`);
    expect(at(result, 'spec', 'volumeClaimTemplates')).toEqual([{ metadata: { name: 'c' } }]);
  });

  it('given a ConfigMap, when a patch changes data, then data merges like any map', () => {
    const result = given(`{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: "1", b: "2"}}`)
      .whenPatched(`data: {b: null, c: "3"}`);
    expect(at(result, 'data')).toEqual({ a: '1', c: '3' });
  });
});

describe('kinds without Kubernetes patch metadata (custom resources)', () => {
  const widget = `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, finalizers: [a]}
spec: {items: [{name: one, size: 1}, {name: two}], settings: {x: 1, y: 2}}`;

  it('given a custom resource, when a patch names a list element, then the whole list is replaced (JSON merge)', () => {
    const result = given(widget).whenPatched(`spec: {items: [{name: one, size: 5}]}`);
    expect(at(result, 'spec', 'items')).toEqual([{ name: 'one', size: 5 }]);
  });

  it('given a custom resource, when a patch has no directives, then the result equals RFC 7386 JSON merge patch', () => {
    const patch = yaml(`metadata: {finalizers: [b]}\nspec: {settings: {x: null, z: 3}, containers: [{name: c}]}`);
    expect(strategicMerge(yaml(widget), patch)).toEqual(jsonMergePatch(yaml(widget), patch));
  });

  it('given a Deployment in an unknown apiVersion, then its containers are replaced, not merged', () => {
    const result = given(`{apiVersion: apps/v1beta9, kind: Deployment, spec: {template: {spec: {containers: [{name: a}]}}}}`)
      .whenPatched(`spec: {template: {spec: {containers: [{name: b}]}}}`);
    expect(names(at(result, 'spec', 'template', 'spec', 'containers'))).toEqual(['b']);
  });

  it('given a custom resource, when a patch says $patch: delete on a map, then kustomize-style it is deleted', () => {
    expect(at(given(widget).whenPatched(`spec: {settings: {$patch: delete}}`), 'spec')).not.toHaveProperty('settings');
  });

  it('given an explicit type meta, then it wins over the base apiVersion/kind', () => {
    const merged = strategicMerge(yaml(`{spec: {template: {spec: {containers: [{name: a}]}}}}`),
      yaml(`spec: {template: {spec: {containers: [{name: b}]}}}`), { apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(names(at(merged, 'spec', 'template', 'spec', 'containers'))).toEqual(['b', 'a']);
  });
});
