import { redactSecrets } from '@slipway/contracts';
import { isMaterializerError } from './errors';
import type { JsonObject, JsonValue } from './json';
import { strategicMergeKeepingHidden } from './strategic-merge';

/** Readers without admin see values hidden; a strategic merge patch from a writer must not show them one. */
describe('strategic merge keeping hidden values hidden', () => {
  const asReadersSeeIt = (document: JsonValue) => redactSecrets(document) as JsonValue;
  const merge = (base: JsonObject, patch: JsonObject) => strategicMergeKeepingHidden(base, patch, asReadersSeeIt);
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (isMaterializerError(error)) return { code: error.code, message: error.message };
      throw error;
    }
    throw new Error('not refused');
  };
  const deployment = (args: string[], podSpec: JsonObject = {}): JsonObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'vault' }, spec: { template: { spec: { ...podSpec, containers: [{ name: 'm', args }] } } },
  });
  const container = (fields: JsonObject): JsonObject => ({ spec: { template: { spec: { containers: [{ name: 'm', ...fields }] } } } });
  const argsOf = (object: JsonObject | null) => ((object!.spec as JsonObject).template as { spec: { containers: Array<{ args: string[] }> } }).spec.containers[0]!.args;

  it('refuses deleting the flag before a hidden argument, or ordering the argument before it', () => {
    const base = deployment(['--api-key', 'ArgLeak4242']);
    expect(refusal(() => merge(base, container({ '$deleteFromPrimitiveList/args': ['--api-key'] })))).toEqual({
      code: 'secret-value-exposed',
      message: expect.stringContaining('would show readers at "/spec/template/spec/containers/0/args/0" the value it took from "/spec/template/spec/containers/0/args/1"'),
    });
    expect(refusal(() => merge(base, container({ '$setElementOrder/args': ['ArgLeak4242', '--api-key'] })))).toEqual({
      code: 'secret-value-exposed', message: expect.stringContaining('matches a value readers see hidden'),
    });
  });

  it('refuses renaming an env-shaped pair, and making a Secret a ConfigMap', () => {
    const thing = { apiVersion: 'example.io/v1', kind: 'Thing', metadata: { name: 't' }, spec: { cred: { name: 'DB_PASSWORD', value: 'pw-4242-x' } } };
    expect(refusal(() => merge(thing, { spec: { cred: { name: 'SHOWN' } } }))).toMatchObject({ message: expect.stringContaining('the value at "/spec/cred/value"') });
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { key: 'c2VjcmV0' } };
    expect(refusal(() => merge(secret, { kind: 'ConfigMap' }))).toMatchObject({ code: 'secret-value-exposed', message: expect.stringContaining('"/data/key"') });
  });

  it('refuses showing part of a value readers saw hidden whole: a URL but for its password, a text but for its password line (review)', () => {
    const url = 'postgres://app:S3cretPw99@db.internal.corp:5432/prod';
    expect(refusal(() => merge(deployment(['--dsn', url]), container({ '$deleteFromPrimitiveList/args': ['--dsn'] })))).toMatchObject({ code: 'secret-value-exposed' });
    const thing = (entry: JsonObject) => ({ apiVersion: 'example.io/v1', kind: 'Thing', metadata: { name: 't' }, spec: { entry } });
    expect(refusal(() => merge(thing({ name: 'DB_PASSWORD', value: url }), { spec: { entry: { name: 'DATABASE_URL' } } }))).toMatchObject({ code: 'secret-value-exposed' });
    expect(refusal(() => merge(thing({ name: 'API_TOKEN', value: 'x', note: 'owner=bob; password=pw7788; host=h' }), { spec: { entry: { value: null } } }))).toMatchObject({ code: 'secret-value-exposed' });
    // A value readers saw so (a URL but for its password) may stay where it is, as they saw it.
    expect(argsOf(merge(deployment(['--target', url, '--verbose']), container({ '$deleteFromPrimitiveList/args': ['--verbose'] })))).toEqual(['--target', url]);
  });

  it('refuses alike a directive aimed at a hidden value, whatever its type (a review: the refusal said number, string or map)', () => {
    const withValue = (value: JsonValue) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'v' }, spec: { template: { spec: { containers: [{ name: 'm', env: [{ name: 'DB_PASSWORD', value }] }] } } } });
    const aimed = container({ env: [{ name: 'DB_PASSWORD', value: { $patch: 'delete' } }] });
    const refusals = [12345678, 'abcdefgh', true, ['a']].map((value) => refusal(() => merge(withValue(value), aimed)));
    expect(new Set(refusals.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(refusals[0]).toMatchObject({ code: 'secret-value-exposed' });
    // Aimed at a value readers see, the refusal says what it met.
    const shown = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'v' }, spec: { template: { spec: { containers: [{ name: 'm', env: [{ name: 'LOG', value: 'x' }] }] } } } };
    expect(refusal(() => merge(shown, container({ env: [{ name: 'LOG', value: { $patch: 'delete' } }] })))).toMatchObject({ code: 'directive-on-scalar', message: expect.stringContaining('aims at a string') });
  });

  it('applies what keeps them hidden: other arguments, the list replaced, lists hidden whole merged by name', () => {
    const base = deployment(['--api-key', 'ArgLeak4242', '--verbose'], { imagePullSecrets: [{ name: 'regcred' }] });
    expect(argsOf(merge(base, container({ '$deleteFromPrimitiveList/args': ['--verbose'] })))).toEqual(['--api-key', 'ArgLeak4242']);
    expect(argsOf(merge(base, container({ '$setElementOrder/args': ['OtherGuess', '--api-key'] })))).toEqual(['--api-key', 'ArgLeak4242', '--verbose']);
    expect(argsOf(merge(base, container({ args: ['--other'] })))).toEqual(['--other']);
    // Readers see imagePullSecrets hidden whole: that a patch matched an entry there tells them nothing.
    const pullSecrets = (patch: JsonValue[]) => ((merge(base, { spec: { template: { spec: { imagePullSecrets: patch } } } })!.spec as JsonObject).template as { spec: JsonObject }).spec.imagePullSecrets;
    expect(pullSecrets([{ name: 'regcred' }])).toEqual([{ name: 'regcred' }]);
    expect(pullSecrets([{ name: 'regcred', $patch: 'delete' }])).toEqual([]);
    expect(merge(deployment(['a']), { metadata: { labels: { app: 'vault' } } })).toMatchObject({ metadata: { labels: { app: 'vault' } } });
  });
});
