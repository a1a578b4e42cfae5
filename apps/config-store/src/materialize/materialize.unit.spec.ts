import { stringify } from 'yaml';
import { changedObjects, materialize, PatchDoesNotFit } from './materialize';
import type { BaseEntry, ConfigModel, PatchEntry } from './model';

const web: BaseEntry = {
  objectName: 'web', kind: 'Deployment', apiVersion: 'apps/v1', releaseVersion: '1.0',
  config: stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'gcr.io/x/app:1', env: [{ name: 'A', value: '1' }] }] } } } }),
};
const p = (version: number, target: string, patch: string, format: PatchEntry['format'] = 'YAML', kind: string | null = null): PatchEntry => ({ version, target, format, kind, patch });

describe('materialize', () => {
  it('applies patches by name and by label in version order (strategic merge by container name)', () => {
    const m = materialize(web, [
      p(1, 'web', 'spec:\n  replicas: 2'),
      p(2, 'Deployment', 'spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: B\n          value: "2"'),
      p(3, 'other', 'spec:\n  replicas: 9'),
      p(4, 'web', 'spec:\n  replicas: 4'),
    ], new Set(['Deployment']));
    expect(m.patchVersion).toBe(4);
    expect(m.config).toContain('replicas: 4');
    // Merged by name, in the order kustomize gives (patch elements first).
    expect(m.config).toMatch(/name: B[\s\S]*name: A/);
  });

  it('writes a string a YAML 1.1 reader would misread (a label "yes", a value "on") quoted, so it stays a string for kubectl and PyYAML', () => {
    const m = materialize(web, [p(1, 'web', 'metadata:\n  labels:\n    extra: "yes"\n    feature: "on"\n    since: "2001-12-14"')], undefined);
    expect(m.config).toContain('extra: "yes"');
    expect(m.config).toContain('feature: "on"');
    expect(m.config).toContain('since: "2001-12-14"');
  });

  it('skips a patch declared for another kind, and a stored patch that no longer fits', () => {
    const m = materialize(web, [p(1, 'web', 'data: {}', 'YAML', 'ConfigMap'), p(2, 'web', '{"kind":"Deployment","patch":[{"op":"replace","path":"/nope/x","value":1}]}', 'JSON', 'Deployment')], undefined);
    expect(m.patchVersion).toBeNull();
    expect(m.skipped).toEqual([{ version: 2, reason: expect.stringContaining('/nope/x') }]);
  });

  it('refuses a new patch whose keys the API server refuses, and reads one stored before the rule as it was', () => {
    const spaced = p(2, 'web', 'metadata:\n  labels:\n    "bad key": x');
    const tilde = p(3, 'web', '{"kind":"Deployment","patch":[{"op":"add","path":"/metadata/annotations","value":{}},{"op":"add","path":"/metadata/annotations/x~2","value":"y"}]}', 'JSON', 'Deployment');
    expect(() => materialize(web, [spaced], undefined, new Set([2]))).toThrow(/^patch does not apply to "web": metadata.labels key "bad key" is not a valid label key/);
    expect(() => materialize(web, [tilde], undefined, new Set([3]))).toThrow(/has "~" not followed by 0 or 1/);
    const stored = materialize(web, [spaced, tilde], undefined);
    expect({ patchVersion: stored.patchVersion, skipped: stored.skipped }).toEqual({ patchVersion: 3, skipped: [] });
    expect(stored.config).toContain('bad key: x');
    // A key problem the base already has is not a new patch's doing.
    const labelled = { ...web, config: stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { 'bad key': 'x' } }, spec: {} }) };
    expect(materialize(labelled, [p(4, 'web', 'spec:\n  replicas: 2')], undefined, new Set([4])).patchVersion).toBe(4);
  });

  it('refuses a new JSON patch that moves or copies from a member every object inherits (toString), as missing: no JavaScript error, no talk of secrets', () => {
    const move = p(2, 'web', '{"kind":"Deployment","patch":[{"op":"move","from":"/metadata/toString","path":"/spec/foo"}]}', 'JSON', 'Deployment');
    const copy = p(3, 'web', '{"kind":"Deployment","patch":[{"op":"copy","from":"/metadata/valueOf","path":"/spec/foo"}]}', 'JSON', 'Deployment');
    expect(() => materialize(web, [move], undefined, new Set([2])))
      .toThrow('patch does not apply to "web": JSON patch operation 0 (/spec/foo): move needs a value at "/metadata/toString": "/metadata" has no member "toString"');
    expect(materialize(web, [copy], undefined).skipped)
      .toEqual([{ version: 3, reason: 'JSON patch operation 0 (/spec/foo): copy needs a value at "/metadata/valueOf": "/metadata" has no member "valueOf"' }]);
  });

  it('refuses a new JSON patch that nests the object past 128 levels, and skips a stored one: printing it overflowed the stack, on every retry', () => {
    const nested = (levels: number): unknown => (levels === 0 ? 'x' : { a: nested(levels - 1) });
    // Each add puts 120 levels at the leaf of the one before: thousands in all.
    const adds = Array.from({ length: 40 }, (_, i) => ({ op: 'add', path: `/spec/deep${'/a'.repeat(i * 120)}`, value: nested(120) }));
    const deep = p(2, 'web', JSON.stringify({ kind: 'Deployment', patch: adds }), 'JSON', 'Deployment');
    expect(() => materialize(web, [deep], undefined, new Set([2]))).toThrow(new PatchDoesNotFit('web', 2, `JSON patch operation 1 (/spec/deep${'/a'.repeat(120)}): the object would nest lists and maps deeper than 128 levels`));
    const stored = materialize(web, [deep, p(3, 'web', 'spec:\n  replicas: 3')], undefined);
    expect({ patchVersion: stored.patchVersion, skipped: stored.skipped.map((s) => s.version) }).toEqual({ patchVersion: 3, skipped: [2] });
  });

  it('takes a patch whose result cannot be written as YAML for a misfit, never an error past the patch\'s handling', () => {
    // A list that holds itself (a YAML alias to its own anchor): printed, it overflows the stack.
    const widget: BaseEntry = { objectName: 'w', kind: 'Widget', apiVersion: 'example.com/v1', releaseVersion: '1.0', config: stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} }) };
    const selfHolding = p(2, 'w', 'spec: &a [*a]');
    expect(() => materialize(widget, [selfHolding], undefined, new Set([2]))).toThrow(new PatchDoesNotFit('w', 2, 'the patched object cannot be written as YAML'));
    const stored = materialize(widget, [p(1, 'w', 'metadata:\n  labels:\n    a: b'), selfHolding, p(3, 'w', 'metadata:\n  annotations:\n    c: d')], undefined);
    expect({ patchVersion: stored.patchVersion, skipped: stored.skipped }).toEqual({ patchVersion: 3, skipped: [{ version: 2, reason: 'the patched object cannot be written as YAML' }] });
    expect(stored.config).toContain('a: b');
    expect(stored.config).toContain('c: d');
  });

  it('throws for a new (strict) patch that does not fit, naming the object', () => {
    const bad = p(2, 'web', '{"kind":"Deployment","patch":[{"op":"remove","path":"/spec/__proto__"}]}', 'JSON', 'Deployment');
    expect(() => materialize(web, [bad], undefined, new Set([2]))).toThrow(PatchDoesNotFit);
  });

  it('refuses a new patch that replaces the object with one of another identity or shape, naming the field', () => {
    const root = p(2, 'web', JSON.stringify({ patch: [{ op: 'replace', path: '', value: { kind: 'Deployment' } }] }), 'JSON');
    expect(() => materialize(web, [root], undefined, new Set([2]))).toThrow(/^patch does not apply to "web": apiVersion must stay in the API group of "apps\/v1", got nothing/);
    const flat = p(3, 'web', 'spec: {template: x}');
    expect(() => materialize(web, [flat], undefined, new Set([3]))).toThrow(/spec\.template must be a mapping, got a string/);
  });

  it('judges a patch that moves an object to another version of its group as of that version', () => {
    const cron: BaseEntry = { objectName: 'c', kind: 'CronJob', apiVersion: 'batch/v1beta1', releaseVersion: '1.0', config: stringify({ apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *' } }) };
    const moved = p(4, 'c', 'apiVersion: batch/v1\nspec: {successfulJobsHistoryLimit: 3.5}');
    expect(() => materialize(cron, [moved], undefined, new Set([4]))).toThrow(/spec\.successfulJobsHistoryLimit must be an integer/);
  });

  it('refuses a new patch that leaves an integer field the API server cannot store, naming the field', () => {
    for (const replicas of ['4294967296', '99999999999999999999999999', '"three"', '2.5']) {
      const bad = p(2, 'web', `apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: ${replicas}`);
      expect(() => materialize(web, [bad], undefined, new Set([2]))).toThrow(/^patch does not apply to "web": spec\.replicas must be an integer from 0 to 2147483647, got /);
    }
  });

  it('refuses a new patch that leaves a boolean field or an id holding text, naming the field; a stored one materializes as it did (skipped, it would take its other changes with it)', () => {
    const bad = p(2, 'web', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      hostNetwork: "on"\n      securityContext: {runAsUser: "1000"}');
    expect(() => materialize(web, [bad], undefined, new Set([2]))).toThrow(/^patch does not apply to "web": spec\.template\.spec\.hostNetwork must be true or false, got "on".*; spec\.template\.spec\.securityContext\.runAsUser must be an integer/);
    expect(materialize(web, [bad], undefined).patchVersion).toBe(2);
    const selector = p(3, 'web', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      nodeSelector: {disk: 1}');
    expect(() => materialize(web, [selector], undefined, new Set([3]))).toThrow(/spec\.template\.spec\.nodeSelector\.disk must be a string, got a number/);
    expect(materialize(web, [selector], undefined).patchVersion).toBe(3);
  });

  it('skips a stored patch with such a value, so it never blocks the object\'s pushes', () => {
    const m = materialize(web, [p(1, 'web', 'spec:\n  replicas: "three"'), p(2, 'web', 'spec:\n  minReadySeconds: 5')], undefined);
    expect(m.skipped).toEqual([{ version: 1, reason: expect.stringContaining('spec.replicas') }]);
    expect(m.patchVersion).toBe(2);
    expect(m.config).toContain('replicas: 1');
  });

  it('does not blame a patch for a bad value the base already had', () => {
    const odd: BaseEntry = { ...web, config: web.config.replace('replicas: 1', 'replicas: 2.5') };
    expect(materialize(odd, [p(2, 'web', 'spec:\n  minReadySeconds: 5')], undefined, new Set([2])).patchVersion).toBe(2);
  });

  it('skips a stored JSON patch that tests what a secret-named env entry holds besides its value: readers see it hidden (config projection version 5)', () => {
    const env = [{ name: 'API_TOKEN', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
    const referenced: BaseEntry = { ...web, config: stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'gcr.io/x/app:1', env }] } } } }) };
    const guess = '{"kind":"Deployment","patch":[{"op":"test","path":"/spec/template/spec/containers/0/env/0/valueFrom/fieldRef/fieldPath","value":"metadata.name"}]}';
    const m = materialize(referenced, [p(1, 'web', guess, 'JSON', 'Deployment')], undefined);
    expect(m.skipped).toEqual([{ version: 1, reason: expect.stringContaining('tests a value readers see hidden') }]);
  });

  it('rewrites namespace and registry for every object they reach', () => {
    const m = materialize(web, [p(1, '*', 'namespace: prod', 'NAMESPACE'), p(2, '*', 'registry: reg.io/ib', 'REGISTRY')], undefined);
    expect(m.config).toContain('namespace: prod');
    expect(m.config).toContain('image: reg.io/ib/app:1');
  });

  it('leaves a cluster-scoped object without a namespace under a namespace rewrite (a RuntimeClass, an admission policy)', () => {
    for (const [apiVersion, kind] of [['node.k8s.io/v1', 'RuntimeClass'], ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy']]) {
      const scoped: BaseEntry = { objectName: 'x', kind, apiVersion, releaseVersion: '1.0', config: `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n` };
      expect(materialize(scoped, [p(1, '*', 'namespace: prod', 'NAMESPACE')], undefined).config).not.toContain('namespace');
    }
  });

  it('reports which objects a change re-materializes', () => {
    const cm: BaseEntry = { objectName: 'cm', kind: 'ConfigMap', apiVersion: 'v1', releaseVersion: '1.0', config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' };
    const before: ConfigModel = { bases: new Map([['web', web], ['cm', cm]]), patches: [], labels: new Map() };
    const after: ConfigModel = { ...before, patches: [p(1, '*', 'registry: r.io', 'REGISTRY')] };
    expect(changedObjects(before, after).changed).toEqual(['web']);
  });

  it('reports the stored patches a change leaves skipped where they applied before: a JSON patch whose test held only with a patch now deleted', () => {
    const cm: BaseEntry = { objectName: 'cm', kind: 'ConfigMap', apiVersion: 'v1', releaseVersion: '1.0', config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  n: "0"\n' };
    const a = p(1, 'cm', 'data:\n  n: "2"');
    const b = p(2, 'cm', '{"kind":"ConfigMap","patch":[{"op":"test","path":"/data/n","value":"2"},{"op":"add","path":"/data/fromB","value":"yes"}]}', 'JSON', 'ConfigMap');
    const before: ConfigModel = { bases: new Map([['cm', cm]]), patches: [a, b], labels: new Map() };
    expect(changedObjects(before, { ...before, patches: [b] })).toMatchObject({ changed: ['cm'], newlySkipped: [{ version: 2, object: 'cm' }] });
    // One skipped before and after is not news; nor is a change that leaves every patch applying.
    expect(changedObjects({ ...before, patches: [b] }, { ...before, patches: [b] }).newlySkipped).toEqual([]);
    expect(changedObjects(before, { ...before, patches: [a] }).newlySkipped).toEqual([]);
  });

  it('checks a binding as a new patch where it brings a stored one: what only writes are judged by refuses it (probe: stored, it failed every push); one that does not merge is skipped, and reported', () => {
    const other: BaseEntry = { ...web, objectName: 'api', config: web.config.replace('name: web', 'name: api') };
    const text = p(1, 'backend', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      enableServiceLinks: "no"');
    const before: ConfigModel = { bases: new Map([['web', web], ['api', other]]), patches: [text], labels: new Map([['web', new Set(['backend'])]]) };
    const bound: ConfigModel = { ...before, labels: new Map([...before.labels, ['api', new Set(['backend'])]]) };
    expect(() => changedObjects(before, bound, undefined, true)).toThrow(/^patch does not apply to "api": spec\.template\.spec\.enableServiceLinks must be true or false, got "no"/);
    // Where it reached before, it materializes as it did; unchecked, the binding is taken (a deletion of bindings, say).
    expect(changedObjects(before, bound).changed).toEqual(['api']);
    // one skipped all the same, for a value no object can hold, harms nothing (review)
    const dead = p(3, 'backend', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1.5\n  template:\n    spec:\n      hostNetwork: "yes"');
    expect(changedObjects({ ...before, patches: [dead] }, { ...bound, patches: [dead] }, undefined, true)).toMatchObject({ newlySkipped: [{ version: 3, object: 'api' }] });
    const unmerged = p(2, 'backend', '{"kind":"Deployment","patch":[{"op":"replace","path":"/nope","value":1}]}', 'JSON', 'Deployment');
    expect(changedObjects({ ...before, patches: [unmerged] }, { ...bound, patches: [unmerged] }, undefined, true)).toMatchObject({ changed: [], newlySkipped: [{ version: 2, object: 'api' }] });
  });

  it('judges as written, besides the patches a binding brings, every later one reaching the object (review: a JSON patch skipped for a path the new one makes then applied), and every patch reaching an object uploaded new', () => {
    const one: BaseEntry = { ...web, objectName: 'api', config: web.config.replace('name: web', 'name: api') };
    const sidecar = p(1, 'sidecars', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: side\n        image: gcr.io/x/side:1');
    const later = p(2, 'api', '{"kind":"Deployment","patch":[{"op":"add","path":"/spec/template/spec/containers/1/stdin","value":"yes"}]}', 'JSON', 'Deployment');
    const before: ConfigModel = { bases: new Map([['api', one]]), patches: [sidecar, later], labels: new Map() };
    expect(() => changedObjects(before, { ...before, labels: new Map([['api', new Set(['sidecars'])]]) }, undefined, true)).toThrow(/^patch does not apply to "api": spec\.template\.spec\.containers\[name="app"\]\.stdin must be true or false, got "yes"/);
    // unjudged (a deletion of bindings, setup), the same change is taken: what was skipped applies
    expect(changedObjects(before, { ...before, labels: new Map([['api', new Set(['sidecars'])]]) }).after.get('api')?.patchVersion).toBe(2);
    const empty: ConfigModel = { bases: new Map(), patches: [later], labels: new Map() };
    const uploaded = { ...empty, bases: new Map([['api', { ...one, config: one.config.replace('containers:', 'containers:\n        - name: first\n          image: gcr.io/x/first:1') }]]) };
    expect(() => changedObjects(empty, uploaded, undefined, true)).toThrow(/^patch does not apply to "api": spec\.template\.spec\.containers\[name="app"\]\.stdin must be true or false/);
  });
});
