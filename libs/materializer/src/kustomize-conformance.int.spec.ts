import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findKustomize } from '@slipway/testing';
import type { JsonObject } from './json';
import { at, yaml } from './spec-helpers';
import { strategicMergeAll } from './strategic-merge';
import { firstDifference } from './structural';

/**
 * The same base + patches built by `kustomize build` and by strategicMerge must give the
 * same object (map key order aside: kustomize prints keys sorted). kustomize is required:
 * a missing binary fails the run rather than skipping conformance.
 */
const kustomize = findKustomize();

interface Case { name: string; base: string; patches: string[] }

const deploy = (spec: string, meta = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web${meta}}\nspec: {template: {spec: ${spec}}}`;
const base = deploy(`{containers: [
  {name: app, image: a, env: [{name: A, value: "1"}, {name: B, value: "2"}], ports: [{containerPort: 8080, protocol: TCP}],
   volumeMounts: [{name: data, mountPath: /data}], args: [x, y]},
  {name: sidecar, image: s}, {name: metrics, image: m}],
  volumes: [{name: data, emptyDir: {}}, {name: cfg, configMap: {name: c}}],
  initContainers: [{name: init, image: i}], imagePullSecrets: [{name: r1}],
  tolerations: [{key: k, operator: Exists}], hostAliases: [{ip: 10.0.0.1, hostnames: [a]}]}`, ', labels: {a: b, c: d}, finalizers: [f1, f2]');

const cases: Case[] = [
  { name: 'change one image', base, patches: [deploy('{containers: [{name: metrics, image: m2}]}')] },
  { name: 'add a container', base, patches: [deploy('{containers: [{name: extra, image: e}]}')] },
  { name: 'reorder by patch', base, patches: [deploy('{containers: [{name: sidecar, image: s2}, {name: new, image: n}, {name: app, image: a2}]}')] },
  { name: 'env merge by name', base, patches: [deploy('{containers: [{name: app, env: [{name: B, value: "3"}, {name: C, value: "4"}]}]}')] },
  { name: 'env delete', base, patches: [deploy('{containers: [{name: app, env: [{name: A, $patch: delete}]}]}')] },
  { name: 'ports with protocols', base, patches: [deploy('{containers: [{name: app, ports: [{containerPort: 8080, name: http, protocol: TCP}, {containerPort: 9090, protocol: TCP}]}]}')] },
  { name: 'port over UDP', base, patches: [deploy('{containers: [{name: app, ports: [{containerPort: 8080, protocol: UDP}]}]}')] },
  { name: 'volumeMounts by mountPath', base, patches: [deploy('{containers: [{name: app, volumeMounts: [{mountPath: /data, readOnly: true}, {name: t, mountPath: /tmp}]}]}')] },
  { name: 'port over UDP beside base ports', base: deploy('{containers: [{name: app, ports: [{containerPort: 8080, protocol: TCP}, {containerPort: 9090, protocol: TCP}]}]}'),
    patches: [deploy('{containers: [{name: app, ports: [{containerPort: 8080, name: http, protocol: TCP}, {containerPort: 9090, protocol: UDP}]}]}')] },
  { name: 'args replaced', base, patches: [deploy('{containers: [{name: app, args: [z]}]}')] },
  { name: 'delete a container', base, patches: [deploy('{containers: [{name: sidecar, $patch: delete}]}')] },
  { name: 'replace the containers list', base, patches: [deploy('{containers: [{name: only, image: o}, {$patch: replace}]}')] },
  { name: 'delete the volumes list', base, patches: [deploy('{volumes: [{$patch: delete}]}')] },
  { name: 'replace a map', base, patches: [deploy('{}', ', labels: {$patch: replace, x: y}')] },
  { name: 'null deletes keys', base, patches: [deploy('{hostAliases: null, containers: [{name: app, image: null}]}', ', labels: {a: null}')] },
  { name: 'finalizers as a set', base, patches: [deploy('{}', ', finalizers: [f2, f3]')] },
  { name: 'volumes, initContainers, pull secrets, tolerations, host aliases', base, patches: [deploy(`{
    volumes: [{name: cfg, configMap: {name: c2}}, {name: new, emptyDir: {}}], initContainers: [{name: init2, image: j}],
    imagePullSecrets: [{name: r2}], tolerations: [{key: t, operator: Exists}], hostAliases: [{ip: 10.0.0.1, hostnames: [b]}]}`)] },
  { name: 'two patches in order', base, patches: [deploy('{containers: [{name: app, image: a2}]}'), deploy('{containers: [{name: app, image: a3}, {name: z, image: z}]}')] },
  {
    name: 'Service ports by port',
    base: 'apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080, protocol: TCP}, {port: 443}]}',
    patches: ['apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{port: 443, targetPort: 8443}, {port: 9000, name: admin}]}'],
  },
  {
    // No element names a protocol: kyaml orders them as a list of one key (a probe found new ports put first).
    name: 'Service ports without protocol, patched and added',
    base: 'apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{name: http, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]}',
    patches: ['apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{port: 80, targetPort: 9090}, {name: grpc, port: 9000}]}'],
  },
  {
    name: 'Service ports without protocol, reordered',
    base: 'apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{port: 1}, {port: 2}, {port: 3}]}',
    patches: ['apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{port: 3, name: c}, {port: 1, name: a}]}'],
  },
  {
    name: 'container ports without protocol',
    base: deploy('{containers: [{name: app, image: a, ports: [{containerPort: 1}, {containerPort: 2}]}]}'),
    patches: [deploy('{containers: [{name: app, ports: [{containerPort: 3}, {containerPort: 2, name: b}]}]}')],
  },
  {
    name: 'CronJob pod template',
    base: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec: {schedule: "* * * * *", jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: a}], restartPolicy: Never}}}}}',
    patches: ['apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: b, image: b}, {name: a, env: [{name: X, value: "1"}]}]}}}}}'],
  },
  {
    name: 'webhooks by name',
    base: 'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: hooks}\nwebhooks: [{name: a.x.io, timeoutSeconds: 10, sideEffects: None, admissionReviewVersions: [v1], clientConfig: {url: "https://a"}}, {name: b.x.io, sideEffects: None, admissionReviewVersions: [v1], clientConfig: {url: "https://b"}}]',
    patches: ['apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: hooks}\nwebhooks: [{name: a.x.io, timeoutSeconds: 5}]'],
  },
  // The fuzz's: built-in kinds the table lacked merged their metadata as custom resources do; a null in a set named a value.
  {
    name: 'a CustomResourceDefinition\'s finalizers as a set',
    base: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com, finalizers: [a]}\nspec: {group: example.com}',
    patches: ['apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com, finalizers: [b]}'],
  },
  {
    name: 'a CSINode\'s drivers by name',
    base: 'apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: n1}\nspec: {drivers: [{name: a.csi, nodeID: n1}, {name: b.csi, nodeID: n1}]}',
    patches: ['apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: n1}\nspec: {drivers: [{name: b.csi, topologyKeys: [zone]}]}'],
  },
  { name: 'a null among finalizers names none', base, patches: [deploy('{}', ', finalizers: [null, f3]')] },
  {
    name: 'custom resource falls back to JSON merge',
    base: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {items: [{name: a, size: 1}, {name: b}], opts: {x: 1, y: 2}}',
    patches: ['apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {items: [{name: a, size: 2}], opts: {x: null, z: 3}}'],
  },
];

function kustomizeBuild(binary: string, testCase: Case): JsonObject {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-kustomize-'));
  try {
    writeFileSync(join(dir, 'base.yaml'), testCase.base);
    testCase.patches.forEach((patch, i) => writeFileSync(join(dir, `patch-${i}.yaml`), patch));
    const patches = testCase.patches.map((_, i) => `- path: patch-${i}.yaml`).join('\n');
    writeFileSync(join(dir, 'kustomization.yaml'), `resources: [base.yaml]\npatches:\n${patches}\n`);
    const output = execFileSync(binary, ['build', dir], { encoding: 'utf8' });
    const documents = parseAllDocuments(output).map((document) => document.toJS() as JsonObject);
    expect(documents).toHaveLength(1);
    return documents[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('conformance with kustomize build', () => {
  it('finds the kustomize binary (KUSTOMIZE, ~/.cache/slipway/kube/*/bin, or PATH)', () => {
    expect(kustomize).toEqual(expect.stringContaining('kustomize'));
  });

  // kyaml 0.21 loses the patch of a port matched without its protocol (the `name` below
  // never reaches the output); kubectl and strategicMerge merge it. Kept visible on purpose.
  it('known divergence: a port patched without protocol keeps its new name here, not in kustomize', () => {
    const testCase = { name: 'port without protocol', base, patches: [deploy('{containers: [{name: app, ports: [{containerPort: 8080, name: http}]}]}')] };
    const ports = (object: JsonObject | null) => at(object, 'spec', 'template', 'spec', 'containers', 0, 'ports');
    expect(ports(strategicMergeAll(yaml(testCase.base), testCase.patches.map(yaml)))).toEqual([{ containerPort: 8080, protocol: 'TCP', name: 'http' }]);
    if (kustomize === undefined) throw new Error('kustomize is not installed');
    expect(ports(kustomizeBuild(kustomize, testCase))).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
  });

  // Ports 53/UDP and 53/TCP patched at port 53 without protocol: kyaml 0.21 drops the patch
  // (no targetPort anywhere); server-side apply reads the protocol as TCP, and so does
  // strategicMerge, which merges into 53/TCP and keeps 53/UDP (it once removed 53/TCP).
  it('known divergence: port 53 patched without protocol beside 53/UDP merges into 53/TCP here, into nothing in kustomize', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: dns}\nspec: {ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]}';
    const testCase = { name: 'port 53 without protocol', base: service, patches: ['apiVersion: v1\nkind: Service\nmetadata: {name: dns}\nspec: {ports: [{port: 53, targetPort: 5353}]}'] };
    const ports = (object: JsonObject | null) => at(object, 'spec', 'ports');
    const udp = { name: 'dns', port: 53, protocol: 'UDP' };
    const tcp = { name: 'dns-tcp', port: 53, protocol: 'TCP' };
    expect(ports(strategicMergeAll(yaml(testCase.base), testCase.patches.map(yaml)))).toEqual([udp, { ...tcp, targetPort: 5353 }]);
    if (kustomize === undefined) throw new Error('kustomize is not installed');
    expect(ports(kustomizeBuild(kustomize, testCase))).toEqual([udp, tcp]);
  });

  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    if (kustomize === undefined) throw new Error('kustomize is not installed: build it with scripts/cluster.sh or set KUSTOMIZE');
    const expected = kustomizeBuild(kustomize, testCase);
    const actual = strategicMergeAll(yaml(testCase.base), testCase.patches.map(yaml));
    const difference = firstDifference(actual ?? undefined, expected);
    expect({ difference, actual }).toEqual({ difference: undefined, actual: expect.anything() });
  });
});
