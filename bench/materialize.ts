import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { findKustomize } from '../libs/testing/src/find-kustomize';
import { structurallyEqual, type JsonObject } from '@slipway/materializer';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { materializeAll } from '../apps/config-store/src/materialize/materialize';
import { objectsReached, type BaseEntry, type ConfigModel, type PatchEntry } from '../apps/config-store/src/materialize/model';

/**
 * Issue 4's benchmark: 1,000 objects and 200 patches (by object name and by label,
 * strategic merge and RFC 6902) materialized by the config store's own functions and by
 * one `kustomize build` of the same input, each run twice (the second is timed), and the
 * outputs compared object by object (map key order aside: kustomize sorts keys).
 */
export interface MaterializeBenchResult { slipwayMs: number; kustomizeMs: number; ratio: number; equal: boolean; objects: number; patches: number }

/** Objects per `group` label: every group holds each kind (and 20 groups at 1,000 objects). */
const GROUP_SIZE = 50;
const groupsOf = (count: number) => Math.max(1, Math.round(count / GROUP_SIZE));

interface BenchObject { name: string; kind: 'Deployment' | 'Service' | 'ConfigMap'; group: string; body: JsonObject }

/** 8 in 10 Deployments, then a Service and a ConfigMap; `group` labels hold 50 consecutive objects. */
function generateObject(i: number, count: number): BenchObject {
  const group = `g${Math.min(groupsOf(count) - 1, Math.floor(i / GROUP_SIZE))}`;
  const kind = i % 10 === 8 ? 'Service' : i % 10 === 9 ? 'ConfigMap' : 'Deployment';
  const name = `${kind.toLowerCase()}-${i}`;
  const metadata = { name, labels: { app: name, group }, annotations: { owner: 'bench' } };
  if (kind === 'Service') {
    return { name, kind, group, body: { apiVersion: 'v1', kind, metadata, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } } };
  }
  if (kind === 'ConfigMap') return { name, kind, group, body: { apiVersion: 'v1', kind, metadata, data: { index: String(i), mode: 'base' } } };
  return { name, kind, group, body: { apiVersion: 'apps/v1', kind, metadata, spec: {
    replicas: 1, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: {
      containers: [
        { name: 'app', image: `registry.example/app-${i}:1.0`, env: [{ name: 'MODE', value: 'base' }, { name: 'INDEX', value: String(i) }],
          ports: [{ containerPort: 8080, protocol: 'TCP' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        { name: 'sidecar', image: 'registry.example/sidecar:1.0' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    } },
  } } };
}

/** One patch, in both languages: the config store's entry and kustomize's `patches` item. */
interface BenchPatch { entry: PatchEntry; file: { name: string; text: string }; target: { kind: string; name?: string; labelSelector?: string } }

/**
 * kustomize needs a `metadata.name` in a strategic merge patch (it puts each target's own
 * name in its place); the config store's patches carry none, their target says where.
 */
function strategic(version: number, kind: string, target: string, byLabel: boolean, body: JsonObject): BenchPatch {
  const metadata = { ...(body.metadata as JsonObject | undefined), name: 'any-target' };
  return {
    entry: { version, target, format: 'YAML', kind, patch: stringify(body) },
    file: { name: `patch-${version}.yaml`, text: stringify({ ...body, metadata }) },
    target: byLabel ? { kind, labelSelector: `group=${target}` } : { kind, name: target },
  };
}

function jsonPatch(version: number, kind: string, target: string, byLabel: boolean, ops: JsonObject[]): BenchPatch {
  return {
    entry: { version, target, format: 'JSON', kind, patch: JSON.stringify({ kind, target, comment: `bench ${version}`, patch: ops }) },
    file: { name: `patch-${version}.json`, text: JSON.stringify(ops) },
    target: byLabel ? { kind, labelSelector: `group=${target}` } : { kind, name: target },
  };
}

/** Five shapes in turn: strategic by name and by label, JSON by name and by label, Service ports by name. */
function generatePatch(p: number, objects: BenchObject[]): BenchPatch {
  const groups = groupsOf(objects.length);
  const version = p + 1;
  const pick = (kind: string) => {
    const ofKind = objects.filter((o) => o.kind === kind);
    return ofKind[(p * 7) % ofKind.length]!.name;
  };
  const group = `g${p % groups}`;
  switch (p % 5) {
    case 0:
      return strategic(version, 'Deployment', pick('Deployment'), false, { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: {
        containers: [{ name: 'app', image: `registry.example/app:${version}`, env: [{ name: 'MODE', value: `patched-${version}` }, { name: 'PATCH', value: String(version) }] }],
      } } } });
    case 1:
      return strategic(version, 'Deployment', group, true, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels: { [`patched-${version}`]: 'yes' } },
        spec: { template: { spec: { containers: [{ name: 'sidecar', env: [{ name: 'SIDE', value: String(version) }] }], volumes: [{ name: `extra-${version}`, emptyDir: {} }] } } } });
    case 2:
      return jsonPatch(version, 'Deployment', pick('Deployment'), false, [
        { op: 'replace', path: '/spec/replicas', value: (p % 4) + 2 },
        { op: 'add', path: `/metadata/annotations/patch-${version}`, value: String(version) },
        { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: `JSON_${version}`, value: 'on' } },
      ]);
    case 3:
      return jsonPatch(version, 'ConfigMap', group, true, [{ op: 'add', path: `/data/patch-${version}`, value: String(version) }, { op: 'replace', path: '/data/mode', value: `json-${version}` }]);
    default:
      return strategic(version, 'Service', pick('Service'), false, { apiVersion: 'v1', kind: 'Service',
        spec: { ports: [{ name: 'http', port: 80, targetPort: 9000 + p, protocol: 'TCP' }, { name: `m-${version}`, port: 10_000 + p, protocol: 'TCP' }] } });
  }
}

function configModel(objects: BenchObject[], patches: BenchPatch[]): ConfigModel {
  const bases = new Map<string, BaseEntry>(objects.map((o) => [o.name, {
    objectName: o.name, kind: o.kind, apiVersion: String(o.body.apiVersion), releaseVersion: 'bench', config: stringify(o.body),
  }]));
  // Resource labels as the upload handler binds them (the kind), plus the bench's group.
  const labels = new Map(objects.map((o) => [o.name, new Set([o.kind, o.group])]));
  return { bases, patches: patches.map((p) => p.entry), labels };
}

function writeKustomization(dir: string, objects: BenchObject[], patches: BenchPatch[]): void {
  writeFileSync(join(dir, 'resources.yaml'), objects.map((o) => stringify(o.body)).join('---\n'));
  for (const patch of patches) writeFileSync(join(dir, patch.file.name), patch.file.text);
  writeFileSync(join(dir, 'kustomization.yaml'), stringify({ resources: ['resources.yaml'], patches: patches.map((p) => ({ path: p.file.name, target: p.target })) }));
}

function timedTwice<T>(run: () => T): { value: T; ms: number } {
  run();
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

const keyOf = (object: JsonObject) => `${String(object.kind)}/${String((object.metadata as JsonObject).name)}`;

export async function materializeBench(size: { objects?: number; patches?: number } = {}): Promise<MaterializeBenchResult> {
  const objectCount = size.objects ?? 1_000;
  const patchCount = size.patches ?? 200;
  const kustomize = findKustomize();
  if (!kustomize) throw new Error('kustomize not found: build it with scripts/cluster.sh or set KUSTOMIZE');
  const objects = Array.from({ length: objectCount }, (_, i) => generateObject(i, objectCount));
  const patches = Array.from({ length: patchCount }, (_, p) => generatePatch(p, objects));
  const model = configModel(objects, patches);
  const idle = model.patches.find((p) => objectsReached(model, p.target, p.kind).length === 0);
  if (idle) throw new Error(`bench generator: patch ${idle.version} (target ${idle.target}) reaches no object`);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-kustomize-'));
  try {
    writeKustomization(dir, objects, patches);
    const ours = timedTwice(() => materializeAll(model));
    const theirs = timedTwice(() => execFileSync(kustomize, ['build', dir], { encoding: 'utf8', maxBuffer: 1 << 30 }));
    const expected = new Map(parseAllDocuments(theirs.value).map((d) => d.toJS() as JsonObject).map((o) => [keyOf(o), o]));
    const actual = [...ours.value.values()].map((m) => parse(m.config) as JsonObject);
    const skipped = [...ours.value.values()].some((m) => m.skipped.length > 0);
    const equal = !skipped && expected.size === actual.length && actual.every((o) => structurallyEqual(o, expected.get(keyOf(o))));
    return { slipwayMs: ours.ms, kustomizeMs: theirs.ms, ratio: ours.ms / theirs.ms, equal, objects: objectCount, patches: patchCount };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface LongListBenchResult { entries: number; slipwayMs: number; kustomizeMs: number; ratio: number; equal: boolean }

/**
 * One Deployment whose container gets `entries` env entries from one strategic merge patch,
 * half of them replacing entries of the base (matched by name), materialized by the config
 * store and by `kustomize build`: a keyed list merged element by element, which costs the
 * square of its length when each element is looked for by scanning the list. 4,000 entries:
 * kustomize's own merge grows with the square (6,000 took it 28 s here), ours does not.
 */
export async function longListBench(entries = 4_000): Promise<LongListBenchResult> {
  const kustomize = findKustomize();
  if (!kustomize) throw new Error('kustomize not found: build it with scripts/cluster.sh or set KUSTOMIZE');
  const env = (from: number, count: number, value: string) => Array.from({ length: count }, (_, i) => ({ name: `VAR_${from + i}`, value }));
  const half = Math.floor(entries / 2);
  const object: BenchObject = { name: 'wide', kind: 'Deployment', group: 'g0', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'wide', labels: { app: 'wide' } }, spec: {
    selector: { matchLabels: { app: 'wide' } },
    template: { metadata: { labels: { app: 'wide' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1', env: env(0, half, 'base') }] } },
  } } };
  const patch = strategic(1, 'Deployment', 'wide', false, { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: {
    containers: [{ name: 'app', env: env(half - Math.floor(half / 2), entries - Math.floor(half / 2), 'patched') }],
  } } } });
  const model = configModel([object], [patch]);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-kustomize-'));
  try {
    writeKustomization(dir, [object], [patch]);
    const ours = timedTwice(() => materializeAll(model));
    const theirs = timedTwice(() => execFileSync(kustomize, ['build', dir], { encoding: 'utf8', maxBuffer: 1 << 30 }));
    const [materialized] = [...ours.value.values()];
    const equal = materialized !== undefined && materialized.skipped.length === 0 && structurallyEqual(parse(materialized.config) as JsonObject, parse(theirs.value) as JsonObject);
    return { entries, slipwayMs: ours.ms, kustomizeMs: theirs.ms, ratio: ours.ms / theirs.ms, equal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
