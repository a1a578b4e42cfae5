import { fieldSetOf, holds, mapFieldPaths, owns, splitFields, unionOf } from './fields-v1';

const deployment = {
  metadata: { annotations: { owner: 'a', empty: null } },
  spec: { template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } }, finalizers: ['x'], list: [1, 2] },
};

describe('FieldsV1 field sets', () => {
  it('given a path of field, key, value and index steps, when looked for in an object, then it is found only where it is, a null being a field unset', () => {
    expect(holds(deployment, ['f:metadata', 'f:annotations', 'f:owner'])).toBe(true);
    expect(holds(deployment, ['f:metadata', 'f:annotations', 'f:empty'])).toBe(false);
    expect(holds(deployment, ['f:metadata', 'f:labels'])).toBe(false);
    expect(holds(deployment, ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'])).toBe(true);
    expect(holds(deployment, ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"db"}'])).toBe(false);
    expect(holds(deployment, ['f:spec', 'f:finalizers', 'v:"x"'])).toBe(true);
    expect(holds(deployment, ['f:spec', 'f:finalizers', 'v:"y"'])).toBe(false);
    expect(holds(deployment, ['f:spec', 'f:list', 'i:1'])).toBe(true);
    expect(holds(deployment, ['f:spec', 'f:list', 'i:2'])).toBe(false);
    expect(holds(deployment, ['f:spec', 'f:list', 'k:not json'])).toBe(false);
  });

  it('given a field set, when asked whether it owns a field, then a field owned whole owns what is in it, and a map node marked "." owns none of its keys', () => {
    const set = { 'f:data': { 'f:a': {} }, 'f:spec': { 'f:list': {} }, 'f:meta': { '.': {}, 'f:x': {} } };
    expect(owns(set, ['f:data', 'f:a'])).toBe(true);
    expect(owns(set, ['f:data', 'f:b'])).toBe(false);
    expect(owns(set, ['f:spec', 'f:list', 'i:0'])).toBe(true);
    expect(owns(set, ['f:meta', 'f:y'])).toBe(false);
    expect(owns({}, ['f:data'])).toBe(false);
  });

  it('given fields to take, when split, then the taken subtrees leave, and a node left with nothing below it goes rather than staying empty (which would own it whole)', () => {
    const set = { 'f:metadata': { 'f:annotations': { 'f:owner': {} } }, 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } };
    const take = (path: readonly string[], _below: unknown) => path.at(-1) === 'f:owner' || path.join('/') === 'f:data/f:b';
    expect(splitFields(set, take)).toEqual({ kept: { 'f:data': { '.': {}, 'f:a': {} } }, taken: { 'f:metadata': { 'f:annotations': { 'f:owner': {} } }, 'f:data': { 'f:b': {} } } });
  });

  it('given an object, then its map fields are listed to their leaves (a list whole), nulls left out; one field makes a set, and sets join', () => {
    expect(mapFieldPaths({ data: { a: 'x', b: null }, list: [1], empty: {} })).toEqual([['f:data', 'f:a'], ['f:list'], ['f:empty']]);
    expect(fieldSetOf(['f:data', 'f:a'])).toEqual({ 'f:data': { 'f:a': {} } });
    expect(unionOf({ 'f:data': { 'f:a': {} } }, { 'f:data': { 'f:b': {} } })).toEqual({ 'f:data': { 'f:a': {}, 'f:b': {} } });
  });
});
