import type { MaterializedView } from '@slipway/contracts';
import { parse } from 'yaml';
import { PRESETS, presetPatches } from './sizing';

const view = (objectName: string, config: string): MaterializedView => ({
  objectName, config, releaseVersion: '23.07', patchVersion: null, previousReleaseVersion: null, previousPatchVersion: null, state: null, metadata: '', timestampMS: 0,
});
const workload = (kind: string, ...containers: string[]) =>
  `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n${containers.map((c) => `      - name: ${c}\n        image: i\n`).join('')}`;

describe('presetPatches', () => {
  it('patches every Deployment (replicas, resources per container) and StatefulSet (resources), nothing else', () => {
    const { text, objects } = presetPatches('large', [
      view('statefulset-db', workload('StatefulSet', 'db')),
      view('deployment-api-server', workload('Deployment', 'api', 'sidecar')),
      view('hot-configs', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n'),
      view('deployment-empty', 'apiVersion: apps/v1\nkind: Deployment\nspec: {}\n'),
    ]);
    expect(objects).toEqual(['deployment-api-server', 'statefulset-db']);
    const [api, db] = text.split('---\n');
    expect(api.split('\n')[0]).toBe('# target: deployment-api-server');
    expect(parse(api)).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment',
      spec: { replicas: 4, template: { spec: { containers: [{ name: 'api', resources: PRESETS.large.Deployment.resources }, { name: 'sidecar', resources: PRESETS.large.Deployment.resources }] } } },
    });
    expect(db.split('\n')[0]).toBe('# target: statefulset-db');
    expect(parse(db).spec).toEqual({ template: { spec: { containers: [{ name: 'db', resources: PRESETS.large.StatefulSet.resources }] } } });
  });

  it('gives a Deployment an autoscaler scales (its config\'s, or a live or paused one) resources and removes its replicas, which the autoscaler sets (probe: the preset and the HPA fought)', () => {
    const named = (name: string) => workload('Deployment', 'web').replace('name: x', `name: ${name}`);
    const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ph\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: by-config}\n  minReplicas: 3\n  maxReplicas: 6\n';
    const { text, objects } = presetPatches('standard', [
      view('by-config', named('by-config')), view('by-live', named('by-live')), view('plain', named('plain')), view('ph', hpa),
    ], ['Deployment/by-live', 'StatefulSet/plain']);
    expect(objects).toEqual(['by-config', 'by-live', 'plain']);
    const specs = text.split('---\n').map((patch) => parse(patch).spec);
    // removed (null): an earlier preset's count, or the base's, would be pushed against the autoscaler's
    expect(specs.map((spec) => spec.replicas)).toEqual([null, null, 2]);
    expect(specs.map((spec) => spec.template.spec.containers[0].resources)).toEqual(Array(3).fill(PRESETS.standard.Deployment.resources));
  });

  it('leaves out a workload whose containers are no list, and skips entries that are no container, instead of failing', () => {
    const spec = (containers: string) => `apiVersion: apps/v1\nkind: Deployment\nspec: {template: {spec: {containers: ${containers}}}}\n`;
    const { text, objects } = presetPatches('standard', [
      view('deployment-map', spec('{web: {image: i}}')),
      view('deployment-string', spec('web')),
      view('deployment-nulls', spec('[null]')),
      view('deployment-mixed', spec('[null, 7, web, {name: api}]')),
      view('statefulset-db', workload('StatefulSet', 'db')),
    ]);
    expect(objects).toEqual(['deployment-mixed', 'statefulset-db']);
    expect(parse(text.split('---\n')[0]).spec.template.spec.containers).toEqual([{ name: 'api', resources: PRESETS.standard.Deployment.resources }]);
  });

  it('grows with the size', () => {
    expect([PRESETS.standard, PRESETS.large, PRESETS['x-large']].map((p) => p.Deployment.replicas)).toEqual([2, 4, 8]);
  });

  it('has nothing to patch without workloads', () => {
    expect(presetPatches('standard', [])).toEqual({ text: '', objects: [] });
  });
});
