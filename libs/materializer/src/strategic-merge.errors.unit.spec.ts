import { MaterializerError } from './errors';
import { at, yaml } from './spec-helpers';
import { strategicMerge } from './strategic-merge';

const base = yaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  template: {spec: {containers: [{name: app, image: a, env: [{name: A, value: "1"}]}]}}
`);

function failure(patch: string): MaterializerError {
  try {
    strategicMerge(base, yaml(patch));
  } catch (error) {
    if (error instanceof MaterializerError) return error;
    throw error;
  }
  throw new Error('expected the patch to be refused');
}

describe('strategic merge refusals', () => {
  it('given a patch container without a name, then merge-key-missing names the element', () => {
    const error = failure(`spec: {template: {spec: {containers: [{image: b}]}}}`);
    expect(error).toMatchObject({ code: 'merge-key-missing', path: '/spec/template/spec/containers/0' });
  });

  it('given a nested env element without a name, then the path reaches into the container', () => {
    const error = failure(`spec: {template: {spec: {containers: [{name: app, env: [{name: B}, {value: x}]}]}}}`);
    expect(error).toMatchObject({ code: 'merge-key-missing', path: '/spec/template/spec/containers/0/env/1' });
  });

  it('given $patch: delete without the merge key beside other fields, then merge-key-missing', () => {
    expect(failure(`spec: {template: {spec: {containers: [{image: a, $patch: delete}]}}}`).code).toBe('merge-key-missing');
  });

  it('given $patch: delete aimed at a scalar, then directive-on-scalar names the field', () => {
    expect(failure(`spec: {replicas: {$patch: delete}}`)).toMatchObject({ code: 'directive-on-scalar', path: '/spec/replicas' });
  });

  it('given an unknown $patch value, then unknown-directive', () => {
    expect(failure(`metadata: {labels: {$patch: remove}}`)).toMatchObject({ code: 'unknown-directive', path: '/metadata/labels' });
  });

  it('given an unknown list-wide $patch value, then unknown-directive names the list, as kustomize refuses it (fuzz: it was passed over)', () => {
    expect(failure(`spec: {template: {spec: {containers: [{name: app, image: b}, {$patch: foo}]}}}`))
      .toMatchObject({ code: 'unknown-directive', path: '/spec/template/spec/containers', message: expect.stringContaining('"foo"') });
    expect(failure(`metadata: {finalizers: [{$patch: foo}]}`)).toMatchObject({ code: 'unknown-directive', path: '/metadata/finalizers' });
  });

  it('given a patched field missing from $retainKeys, then retain-keys-mismatch names it', () => {
    expect(failure(`spec: {strategy: {$retainKeys: [type], type: Recreate, rollingUpdate: {}}}`))
      .toMatchObject({ code: 'retain-keys-mismatch', path: '/spec/strategy/rollingUpdate' });
  });

  it('given $retainKeys that is not a list, then invalid-directive', () => {
    expect(failure(`spec: {strategy: {$retainKeys: type}}`).code).toBe('invalid-directive');
  });

  it('given $setElementOrder that omits a patched element, then invalid-element-order', () => {
    expect(failure(`spec: {template: {spec: {$setElementOrder/containers: [{name: app}], containers: [{name: x}]}}}`).code)
      .toBe('invalid-element-order');
  });

  it('given $deleteFromPrimitiveList with a scalar, then invalid-directive', () => {
    expect(failure(`metadata: {$deleteFromPrimitiveList/finalizers: a}`).code).toBe('invalid-directive');
  });

  it('given a __proto__ key in a patch, then unsafe-key and Object.prototype is untouched', () => {
    const patch = JSON.parse('{"metadata": {"labels": {"__proto__": {"polluted": "yes"}}}}');
    expect(() => strategicMerge(base, patch)).toThrow(expect.objectContaining({ code: 'unsafe-key', path: '/metadata/labels/__proto__' }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('given constructor and prototype as data keys, then they merge as plain own keys', () => {
    const merged = strategicMerge(yaml(`{apiVersion: v1, kind: ConfigMap, data: {a: "1"}}`), yaml(`data: {constructor: x, prototype: y}`));
    expect(merged?.data).toEqual({ a: '1', constructor: 'x', prototype: 'y' });
  });

  it('serializes a refusal with its code and path', () => {
    expect(JSON.parse(JSON.stringify(failure(`spec: {replicas: {$patch: delete}}`)))).toMatchObject({
      code: 'directive-on-scalar', path: '/spec/replicas',
    });
  });
});

describe('inputs are never mutated', () => {
  it('given a base and a patch with directives, when merged, then both inputs are deep-equal to before', () => {
    const patch = yaml(`
metadata: {labels: {app: null, $patch: merge}}
spec:
  template:
    spec:
      $setElementOrder/containers: [{name: side}, {name: app}]
      containers: [{name: side, image: s}, {name: app, env: [{name: A, $patch: delete}]}]`);
    const baseBefore = structuredClone(base);
    const patchBefore = structuredClone(patch);
    const merged = strategicMerge(base, patch);
    expect(base).toEqual(baseBefore);
    expect(patch).toEqual(patchBefore);
    expect(at(merged, 'spec', 'template', 'spec', 'containers', 1)).toEqual({ name: 'app', image: 'a', env: [] });
  });

  it('given a result, when it is mutated, then the base is not affected (no shared references)', () => {
    const merged = strategicMerge(base, {})!;
    (at(merged, 'metadata', 'labels') as Record<string, string>).app = 'changed';
    expect(at(base, 'metadata', 'labels', 'app')).toBe('web');
  });
});
