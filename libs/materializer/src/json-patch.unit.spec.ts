import { redactSecrets } from '@slipway/contracts';
import { applyJsonPatch, MAX_CHECKED_READS, type JsonPatchOperation } from './json-patch';
import { MAX_NESTING, type JsonValue } from './json';
import { MaterializerError } from './errors';

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'a:1' }] } } },
};

function refusal(ops: unknown[]): MaterializerError {
  try {
    applyJsonPatch(deployment, ops as JsonPatchOperation[]);
  } catch (error) {
    if (error instanceof MaterializerError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('RFC 6902 JSON patch', () => {
  it('given a deployment, when add/replace/remove/copy/move/test apply, then the document follows each op', () => {
    const result = applyJsonPatch(deployment, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 's' } },
      { op: 'copy', from: '/metadata/labels', path: '/spec/template/metadata' },
      { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' },
      { op: 'remove', path: '/spec/template/spec/containers/0/image' },
    ]);
    expect(result).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { name: 'web' } },
      spec: { replicas: 3, template: { metadata: { app: 'web' }, spec: { containers: [{ name: 'app' }, { name: 'side', image: 's' }] } } },
    });
  });

  it('given escaped segments, then ~1 addresses a key with a slash (annotations)', () => {
    const result = applyJsonPatch(deployment, [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }]);
    expect((result as typeof deployment).metadata.labels).toEqual({ app: 'web', 'app.kubernetes.io/name': 'web' });
  });

  it.each(['/metadata/labels/~2', '/metadata/labels/a~', '/metadata/labels/~', '/metadata/~x/labels'])('given %s (a "~" not followed by 0 or 1) in a patch being written, then it is refused naming the path (RFC 6901)', (path) => {
    let error: unknown;
    try { applyJsonPatch(deployment, [{ op: 'add', path, value: 'x' }], { unstored: true }); } catch (thrown) { error = thrown; }
    expect(error).toMatchObject({ code: 'json-patch-invalid', path, opIndex: 0 });
    expect((error as Error).message).toContain('not followed by 0 or 1');
  });

  it('given a stored patch with such a path, then it is read as it was before the rule', () => {
    const result = applyJsonPatch(deployment, [{ op: 'add', path: '/metadata/labels/~2', value: 'x' }]);
    expect((result as typeof deployment).metadata.labels).toEqual({ app: 'web', '~2': 'x' });
  });

  it('given ~01, then it addresses the key "~1", as RFC 6901 reads it', () => {
    const result = applyJsonPatch(deployment, [{ op: 'add', path: '/metadata/labels/~01', value: 'x' }, { op: 'copy', from: '/metadata/labels/~01', path: '/metadata/labels/b' }]);
    expect((result as typeof deployment).metadata.labels).toEqual({ app: 'web', '~1': 'x', b: 'x' });
  });

  it('given a patch, when applied, then the document and the operations are unchanged', () => {
    const before = structuredClone(deployment);
    const value = { name: 'side' };
    const result = applyJsonPatch(deployment, [{ op: 'add', path: '/spec/template/spec/containers/-', value }]) as typeof deployment;
    (result.spec.template.spec.containers[1] as { name: string }).name = 'changed';
    expect(deployment).toEqual(before);
    expect(value).toEqual({ name: 'side' });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('given a path through %s, then it is refused naming the path', (segment) => {
    const error = refusal([{ op: 'add', path: '/metadata/labels/x', value: 1 }, { op: 'add', path: `/metadata/${segment}/polluted`, value: 1 }]);
    expect(error).toMatchObject({ code: 'unsafe-key', path: `/metadata/${segment}/polluted`, opIndex: 1 });
    expect(error.message).toContain(`/metadata/${segment}/polluted`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('given a move from __proto__, then the from path is refused too', () => {
    expect(refusal([{ op: 'move', from: '/__proto__', path: '/x' }])).toMatchObject({ code: 'unsafe-key', opIndex: 0 });
  });

  it('given an unknown op, then json-patch-invalid with the op index', () => {
    expect(refusal([{ op: 'test', path: '/kind', value: 'Deployment' }, { op: 'frobnicate', path: '/kind' }]))
      .toMatchObject({ code: 'json-patch-invalid', opIndex: 1, path: '/kind' });
  });

  it.each([['_get', '"_get"'], [['_get'], '["_get"]'], [undefined, undefined]])('given op %j (fast-json-patch runs _get, its own; an op looked up as a key of its table), then it is refused naming the op, before anything is applied', (op, shown) => {
    const error = refusal([{ op: 'replace', path: '/spec/replicas', value: 2 }, { op, path: '/spec/replicas' }]);
    expect(error).toMatchObject({ code: 'json-patch-invalid', opIndex: 1, path: '/spec/replicas' });
    const said = shown === undefined ? 'has no op' : `op ${shown} is not one of RFC 6902's`;
    expect(error.message).toBe(`JSON patch operation 1 (/spec/replicas): ${said} (add, remove, replace, move, copy, test)`);
  });

  it('given a move of a location into its own member, then json-patch-invalid saying so (RFC 6902 4.4), no JavaScript error', () => {
    expect(refusal([{ op: 'move', from: '/spec', path: '/spec/x' }]))
      .toMatchObject({ code: 'json-patch-invalid', opIndex: 0, path: '/spec/x', message: 'JSON patch operation 0 moves "/spec" into its own member "/spec/x"' });
    // A sibling that merely shares the prefix's text moves as any other.
    expect(applyJsonPatch({ a: 1, ab: {} }, [{ op: 'move', from: '/a', path: '/ab/a' }])).toEqual({ ab: { a: 1 } });
  });

  it('given a replace of a missing path, then json-patch-invalid with the op index and path', () => {
    expect(refusal([{ op: 'replace', path: '/spec/missing/deep', value: 1 }]))
      .toMatchObject({ code: 'json-patch-invalid', opIndex: 0, path: '/spec/missing/deep' });
  });

  it.each([
    ['a move from', { op: 'move', from: '/metadata/toString', path: '/spec/foo' }, 'move needs a value at "/metadata/toString": "/metadata" has no member "toString"'],
    ['a copy from', { op: 'copy', from: '/metadata/labels/valueOf', path: '/spec/foo' }, 'copy needs a value at "/metadata/labels/valueOf": "/metadata/labels" has no member "valueOf"'],
    ['a replace of', { op: 'replace', path: '/metadata/labels/toString', value: 'x' }, 'replace needs a value at "/metadata/labels/toString": "/metadata/labels" has no member "toString"'],
    ['a remove of', { op: 'remove', path: '/metadata/labels/valueOf' }, 'remove needs a value at "/metadata/labels/valueOf": "/metadata/labels" has no member "valueOf"'],
    ['a test of', { op: 'test', path: '/metadata/hasOwnProperty', value: 'x' }, 'test needs a value at "/metadata/hasOwnProperty": "/metadata" has no member "hasOwnProperty"'],
    ['an add below', { op: 'add', path: '/metadata/toString/x', value: 'x' }, 'add cannot put a value at "/metadata/toString/x": "/metadata" has no member "toString"'],
  ])('given %s a member every object inherits (toString, valueOf), then it is missing, refused naming the op and path (RFC 6902 4)', (_what, operation, problem) => {
    const error = refusal([operation]);
    expect(error).toMatchObject({ code: 'json-patch-invalid', opIndex: 0, path: operation.path });
    expect(error.message).toBe(`JSON patch operation 0 (${operation.path}): ${problem}`);
  });

  it('given an add of a key named like an inherited member, then it is an own key like any other, which later operations find', () => {
    const result = applyJsonPatch(deployment, [
      { op: 'add', path: '/metadata/labels/toString', value: 'a' },
      { op: 'replace', path: '/metadata/labels/toString', value: 'b' },
      { op: 'copy', from: '/metadata/labels/toString', path: '/metadata/labels/valueOf' },
    ]);
    expect((result as typeof deployment).metadata.labels).toEqual({ app: 'web', toString: 'b', valueOf: 'b' });
  });

  it.each([
    { op: 'replace', path: '/spec/template/spec/containers/00/image', value: 'b' },
    { op: 'add', path: '/spec/template/spec/containers/01', value: { name: 'side' } },
    { op: 'copy', from: '/spec/template/spec/containers/00', path: '/spec/template/spec/containers/-' },
  ])('given a list index with a leading zero ($op), then it is refused (RFC 6901 4), not read as the number', (operation) => {
    const error = refusal([operation]);
    expect(error).toMatchObject({ code: 'json-patch-invalid', opIndex: 0 });
    expect(error.message).toMatch(/"0[01]" in "\/spec\/template\/spec\/containers\/0[01]" is not a list index \(RFC 6901: digits, without a leading zero\)/);
  });

  it('given a move from /a/0 into /a/00/x, then it is refused, not taken for a move elsewhere', () => {
    expect(() => applyJsonPatch({ a: [{}, {}] }, [{ op: 'move', from: '/a/0', path: '/a/00/x' }])).toThrow(/"00" in "\/a\/00" is not a list index/);
  });

  it('given an add past a list\'s end or into a scalar, then it says where', () => {
    expect(refusal([{ op: 'add', path: '/spec/template/spec/containers/2', value: {} }]).message).toContain('"/spec/template/spec/containers" has 1 elements');
    expect(refusal([{ op: 'add', path: '/spec/replicas/x', value: 1 }]).message).toContain('"/spec/replicas" is not a list or a map');
  });

  it('given an add without a value, then json-patch-invalid', () => {
    expect(refusal([{ op: 'add', path: '/spec/x' }]).code).toBe('json-patch-invalid');
  });

  it('given a failing test op, then json-patch-test-failed and nothing is applied', () => {
    const error = refusal([{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'test', path: '/kind', value: 'Pod' }]);
    expect(error).toMatchObject({ code: 'json-patch-test-failed', opIndex: 1, path: '/kind' });
    expect(deployment.spec.replicas).toBe(1);
  });

  it('given operations that are not a list, then json-patch-invalid', () => {
    expect(() => applyJsonPatch(deployment, { op: 'add' } as never)).toThrow(expect.objectContaining({ code: 'json-patch-invalid' }));
  });
});

describe('RFC 6902 JSON patch on a Secret, as readers without admin see it', () => {
  const asReadersSeeIt = { redact: (document: JsonValue) => redactSecrets(document) as JsonValue };
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', annotations: {} }, data: { password: 'aHVudGVyMg==' }, stringData: { user: 'app' } };
  const refusedWith = (message: string) => expect.objectContaining({ code: 'secret-value-exposed', message: expect.stringContaining(message) });

  it.each([
    ['copy', { op: 'copy', from: '/data/password', path: '/metadata/annotations/x' }, 'copy a value readers see hidden from "/data/password"'],
    ['move', { op: 'move', from: '/stringData/user', path: '/metadata/labels' }, 'move a value readers see hidden from "/stringData/user"'],
    ['copy of the whole map', { op: 'copy', from: '/stringData', path: '/metadata/annotations/all' }, 'from "/stringData"'],
    ['test', { op: 'test', path: '/data/password', value: 'aHVudGVyMg==' }, 'tests a value readers see hidden, at "/data/password"'],
  ])('refuses a %s that would show or confirm a value where readers would see it', (_, operation, message) => {
    let thrown: unknown;
    try {
      applyJsonPatch(secret, [operation as JsonPatchOperation], asReadersSeeIt);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(refusedWith(message));
  });

  it('takes copies and moves within data and stringData, and of values other kinds show', () => {
    expect(applyJsonPatch(secret, [{ op: 'copy', from: '/data/password', path: '/data/old-password' }, { op: 'move', from: '/stringData/user', path: '/data/user' }], asReadersSeeIt))
      .toMatchObject({ data: { password: 'aHVudGVyMg==', 'old-password': 'aHVudGVyMg==', user: 'app' } });
    const configMap = { ...secret, kind: 'ConfigMap' };
    expect(applyJsonPatch(configMap, [{ op: 'copy', from: '/stringData/user', path: '/metadata/annotations/x' }], asReadersSeeIt)).toMatchObject({ metadata: { annotations: { x: 'app' } } });
  });
});

describe('RFC 6902 JSON patch changing what hides a value, as readers without admin see it', () => {
  const asReadersSeeIt = { redact: (document: JsonValue) => redactSecrets(document) as JsonValue, unstored: true };
  const withEnv = {
    ...deployment,
    spec: { ...deployment.spec, template: { spec: { containers: [{ name: 'app', image: 'a:1', env: [{ name: 'DB_PASSWORD', value: 'hunter2-41' }, { name: 'LOG', value: 'debug' }] }] } } },
  };
  const env = '/spec/template/spec/containers/0/env';

  it('refuses renaming a secret env entry to a name readers see the value of, naming where', () => {
    expect(() => applyJsonPatch(withEnv, [{ op: 'replace', path: `${env}/0/name`, value: 'SHOWN' }], asReadersSeeIt))
      .toThrow(expect.objectContaining({ code: 'secret-value-exposed', message: expect.stringContaining(`the value at "${env}/0/value"`) }));
    // nor partly: a URL readers saw hidden whole is not shown but for its password (review)
    const withUrl = { ...withEnv, spec: { ...withEnv.spec, template: { spec: { containers: [{ name: 'app', image: 'a:1', env: [{ name: 'DB_PASSWORD', value: 'postgres://app:S3cret-9@db.corp/prod' }] }] } } } };
    expect(() => applyJsonPatch(withUrl, [{ op: 'replace', path: `${env}/0/name`, value: 'DATABASE_URL' }], asReadersSeeIt))
      .toThrow(expect.objectContaining({ code: 'secret-value-exposed', message: expect.stringContaining(`the value at "${env}/0/value"`) }));
    // nor does a Secret become something else with its data in place
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { 'tls.crt': 'Y2VydA==' } };
    expect(() => applyJsonPatch(secret, [{ op: 'replace', path: '/kind', value: 'ConfigMap' }], asReadersSeeIt))
      .toThrow(expect.objectContaining({ code: 'secret-value-exposed', message: expect.stringContaining('"/data/tls.crt"') }));
  });

  it('refuses uncovering a copy or a move of a secret env entry, renamed after it landed hidden (probe)', () => {
    const refused = (operations: JsonPatchOperation[]) => {
      try {
        applyJsonPatch(withEnv, operations, asReadersSeeIt);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const copiedThenRenamed = refused([{ op: 'copy', from: `${env}/0`, path: `${env}/-` }, { op: 'replace', path: `${env}/2/name`, value: 'X' }]);
    expect(copiedThenRenamed).toEqual(expect.objectContaining({
      code: 'secret-value-exposed', path: `${env}/2/value`, message: `the JSON patch would show readers at "${env}/2/value" the value it took from "${env}/0/value", which they see hidden: it changes what hides it (an env entry's name, a key, a flag before it, the kind)`,
    }));
    // moved into another container, the list shifted under it by a removal, then renamed
    const twoContainers = [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 'b:1', env: [] } }] as JsonPatchOperation[];
    expect(refused([...twoContainers, { op: 'move', from: `${env}/0`, path: '/spec/template/spec/containers/1/env/0' }, { op: 'remove', path: `${env}/0` },
      { op: 'replace', path: '/spec/template/spec/containers/1/env/0/name', value: 'SEEN' }])).toEqual(expect.objectContaining({ code: 'secret-value-exposed', path: '/spec/template/spec/containers/1/env/0/value' }));
    // a test of the copy once it is shown would tell a guess right or wrong: refused before it runs, right or wrong
    for (const guess of ['hunter2-41', 'wrong']) {
      expect(refused([{ op: 'copy', from: `${env}/0`, path: `${env}/-` }, { op: 'replace', path: `${env}/2/name`, value: 'X' }, { op: 'test', path: `${env}/2/value`, value: guess }]))
        .toEqual(expect.objectContaining({ code: 'secret-value-exposed', message: `JSON patch operation 2 tests a value readers see hidden, at "${env}/2/value"` }));
    }
  });

  it('refuses a copy of the value of a flag naming a secret, and uncovering it by changing the flag', () => {
    const withArgs = { ...withEnv, spec: { ...withEnv.spec, template: { spec: { containers: [{ name: 'app', image: 'a:1', args: ['--db-password', 'hunter2-41', '--port', '80'] }] } } } };
    const args = '/spec/template/spec/containers/0/args';
    expect(() => applyJsonPatch(withArgs, [{ op: 'copy', from: `${args}/1`, path: '/metadata/labels/copy' }], asReadersSeeIt))
      .toThrow(expect.objectContaining({ code: 'secret-value-exposed', message: expect.stringContaining(`from "${args}/1"`) }));
    expect(() => applyJsonPatch(withArgs, [{ op: 'replace', path: `${args}/0`, value: '--verbose' }], asReadersSeeIt))
      .toThrow(expect.objectContaining({ code: 'secret-value-exposed', message: expect.stringContaining(`the value at "${args}/1"`) }));
    expect(applyJsonPatch(withArgs, [{ op: 'copy', from: `${args}/3`, path: '/metadata/labels/port' }], asReadersSeeIt)).toMatchObject({ metadata: { labels: { app: 'web', port: '80' } } });
  });

  it('refuses a test of a place inside a hidden value alike, in or past its length: the answer would tell the length (review)', () => {
    const answers = [0, 9, 10, 11, 40].map((at) => {
      try {
        applyJsonPatch(withEnv, [{ op: 'test', path: `${env}/0/value/${at}`, value: 'h' }], asReadersSeeIt);
      } catch (error) {
        return (error as { code: string; message: string }).code;
      }
      return 'accepted';
    });
    expect(answers).toEqual(Array(5).fill('secret-value-exposed'));
  });

  it('takes a copy of a secret entry that stays hidden, and one whose value the patch replaces before showing it', () => {
    expect(applyJsonPatch(withEnv, [{ op: 'copy', from: `${env}/0`, path: `${env}/-` }, { op: 'replace', path: `${env}/2/name`, value: 'DB_PASSWORD_OLD' }], asReadersSeeIt)).toMatchObject({
      spec: { template: { spec: { containers: [{ env: [{ value: 'hunter2-41' }, { name: 'LOG' }, { name: 'DB_PASSWORD_OLD', value: 'hunter2-41' }] }] } } },
    });
    expect(applyJsonPatch(withEnv, [{ op: 'copy', from: `${env}/0`, path: `${env}/-` }, { op: 'replace', path: `${env}/2/value`, value: 'open' }, { op: 'replace', path: `${env}/2/name`, value: 'X' }], asReadersSeeIt))
      .toMatchObject({ spec: { template: { spec: { containers: [{ env: [{ value: 'hunter2-41' }, { name: 'LOG' }, { name: 'X', value: 'open' }] }] } } } });
  });

  it('takes a rename to another secret name, a new value, and changes elsewhere', () => {
    expect(applyJsonPatch(withEnv, [{ op: 'replace', path: `${env}/0/name`, value: 'DB_PASS' }], asReadersSeeIt)).toMatchObject({
      spec: { template: { spec: { containers: [{ env: [{ name: 'DB_PASS', value: 'hunter2-41' }, { name: 'LOG' }] }] } } },
    });
    const renamedWithValue = applyJsonPatch(withEnv, [{ op: 'replace', path: `${env}/0/name`, value: 'SHOWN' }, { op: 'replace', path: `${env}/0/value`, value: 'public' }], asReadersSeeIt);
    expect(renamedWithValue).toMatchObject({ spec: { template: { spec: { containers: [{ env: [{ name: 'SHOWN', value: 'public' }, { name: 'LOG' }] }] } } } });
    expect(applyJsonPatch(withEnv, [{ op: 'replace', path: `${env}/1/value`, value: 'info' }], asReadersSeeIt)).toMatchObject({
      spec: { template: { spec: { containers: [{ env: [{ value: 'hunter2-41' }, { value: 'info' }] }] } } },
    });
  });
});

describe('applyJsonPatch bounds what a small patch may cost', () => {
  it('refuses copies that would grow the object past its bound, naming the operation (each doubled it)', () => {
    const doubling = Array.from({ length: 30 }, (_, i) => ({ op: 'copy' as const, from: '/spec', path: `/spec/k${i}` }));
    const base = { kind: 'Widget', spec: { text: 'x'.repeat(1000) } };
    expect(() => applyJsonPatch(base, doubling)).toThrow(/^JSON patch operation 12 \(\/spec\/k12\): the object would grow past 4194304 bytes of JSON$/);
    // twelve are within it
    expect(JSON.stringify(applyJsonPatch(base, doubling.slice(0, 12))).length).toBeGreaterThan(4_000_000);
  });

  it('refuses more copies, moves and tests than it checks readers\' views for', () => {
    const tests = (n: number) => Array.from({ length: n }, () => ({ op: 'test' as const, path: '/a', value: 1 }));
    const redact = (document: JsonValue) => document;
    expect(applyJsonPatch({ a: 1 }, tests(MAX_CHECKED_READS), { redact, unstored: true })).toEqual({ a: 1 });
    // a stored patch is materialized again as it was taken
    expect(applyJsonPatch({ a: 1 }, tests(MAX_CHECKED_READS + 1), { redact })).toEqual({ a: 1 });
    expect(() => applyJsonPatch({ a: 1 }, tests(MAX_CHECKED_READS + 1), { redact, unstored: true })).toThrow(`a JSON patch may copy, move or test at most ${MAX_CHECKED_READS} times; this one does ${MAX_CHECKED_READS + 1} times`);
  });

  // `levels` maps nested in one another, a string at the bottom.
  const nested = (levels: number): JsonValue => (levels === 0 ? 'x' : { a: nested(levels - 1) });

  it(`takes what nests exactly ${MAX_NESTING} levels, counted from where it lands, and refuses one level more, naming the operation`, () => {
    // The object is the first level, `spec` the second: a value of 126 levels put in it reaches 128.
    const base = { kind: 'Widget', spec: {} };
    expect(applyJsonPatch(base, [{ op: 'add', path: '/spec/x', value: nested(MAX_NESTING - 2) }])).toMatchObject({ spec: { x: { a: {} } } });
    expect(() => applyJsonPatch(base, [{ op: 'add', path: '/spec/x', value: nested(MAX_NESTING - 1) }]))
      .toThrow(/^JSON patch operation 0 \(\/spec\/x\): the object would nest lists and maps deeper than 128 levels$/);
  });

  it('refuses adds that each put a deep value at the last one\'s leaf (thousands of levels, past what printing can recurse through)', () => {
    const adds = Array.from({ length: 40 }, (_, i) => ({ op: 'add' as const, path: `/spec${'/a'.repeat(i * 60)}/a`, value: nested(60) }));
    expect(() => applyJsonPatch({ kind: 'Widget', spec: {} }, adds)).toThrow(expect.objectContaining({ code: 'json-patch-invalid', opIndex: 2 }));
  });

  it.each([
    ['move', { op: 'move', from: '/spec/deep', path: `/spec/deep2${'/a'.repeat(60)}` }],
    ['copy', { op: 'copy', from: '/spec/deep', path: `/spec/deep2${'/a'.repeat(60)}` }],
    ['replace', { op: 'replace', path: `/spec/deep2${'/a'.repeat(60)}`, value: nested(100) }],
  ])('refuses a %s that puts a deep value deep', (_op, operation) => {
    const base = { kind: 'Widget', spec: { deep: nested(100), deep2: nested(100) } };
    expect(() => applyJsonPatch(base, [operation as JsonPatchOperation])).toThrow(/deeper than 128 levels/);
  });
});
