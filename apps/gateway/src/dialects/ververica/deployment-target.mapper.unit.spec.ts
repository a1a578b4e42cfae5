import { DomainError } from '@slipway/contracts';
import { expectedVersionOf, toDefinition, toDocument } from './deployment-target.mapper';

const document = (metadata: Record<string, unknown>) => ({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'web', ...metadata }, spec: { kubernetes: { namespace: 'apps' } } });
const refusalOf = (act: () => unknown): { field?: string; message: string } | undefined => {
  try {
    act();
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { field: error.field, message: error.message };
  }
};

describe('the read-only fields a document sent back carries', () => {
  it('takes createdAt and modifiedAt as GET gives them, and refuses a day the calendar has not, which Date.parse would roll over', () => {
    expect(refusalOf(() => toDefinition(document({ createdAt: '2024-02-29T10:00:00.123Z', modifiedAt: '2024-03-01T10:00:00+02:00' }), 'default'))).toBeUndefined();
    for (const createdAt of ['2020-02-30T00:00:00Z', '2021-02-29T00:00:00Z', '2020-04-31T00:00:00Z', '2020-13-45T00:00:00Z', 'yesterday', 42]) {
      expect(refusalOf(() => toDefinition(document({ createdAt }), 'default'))).toMatchObject({ field: 'metadata.createdAt', message: expect.stringContaining('must be a time as GET gives it') });
    }
  });

  it('reads null as a field left out, for every field alike (probe: id: null was refused while resourceVersion: null was taken)', () => {
    const nulls = { kind: null, apiVersion: null, status: null, metadata: { name: 'web', namespace: null, id: null, createdAt: null, modifiedAt: null, resourceVersion: null, labels: null, annotations: null }, spec: { kubernetes: { namespace: null } } };
    expect(toDefinition(nulls, 'default')).toEqual({ namespace: 'default', name: 'web', labels: {}, annotations: {}, kubernetesNamespace: null });
    // a value inside a map is no field: a label of null is still no string
    expect(refusalOf(() => toDefinition(document({ labels: { app: null } }), 'default'))).toMatchObject({ field: 'metadata.labels.app' });
  });

  it('reads resourceVersion as a number or a string of digits, leading zeros and all; one past what a number holds exactly is named as such, not rounded', () => {
    expect(expectedVersionOf(document({ resourceVersion: 7 }))).toBe(7);
    expect(expectedVersionOf(document({ resourceVersion: '03' }))).toBe(3);
    expect(expectedVersionOf(document({ resourceVersion: '00000000000000000000001' }))).toBe(1);
    expect(refusalOf(() => expectedVersionOf(document({ resourceVersion: 9007199254740993 })))).toEqual({
      field: 'metadata.resourceVersion', message: 'metadata.resourceVersion is larger than any version a target has (at most 9007199254740991)',
    });
    expect(refusalOf(() => expectedVersionOf(document({ resourceVersion: '1234567890123456' })))).toMatchObject({ field: 'metadata.resourceVersion' });
    expect(refusalOf(() => expectedVersionOf(document({ resourceVersion: 0 })))).toMatchObject({ field: 'metadata.resourceVersion', message: expect.stringContaining('positive integer') });
  });
});

describe('the fields a document may hold', () => {
  it('refuses a field named by the empty string, at any level, as any unknown one (probe: ignored, 201)', () => {
    const spec = { kubernetes: { namespace: 'apps' } };
    expect(refusalOf(() => toDefinition({ '': 1, metadata: { name: 'web' }, spec }, 'default'))).toEqual({ field: '', message: 'unknown field ""' });
    expect(refusalOf(() => toDefinition({ metadata: { name: 'web', '': 1 }, spec }, 'default'))).toEqual({ field: 'metadata.', message: 'unknown field "metadata."' });
    expect(refusalOf(() => toDefinition({ metadata: { name: 'web' }, spec: { '': 1, ...spec } }, 'default'))).toMatchObject({ message: expect.stringContaining('unknown field "spec.') });
  });

  it('names a long unknown key, label key or name cut short, not echoed whole (probe: a 900 KB key made a 1.8 MB answer)', () => {
    const long = 'k'.repeat(900_000);
    for (const refusal of [
      refusalOf(() => toDefinition({ [long]: 1, metadata: { name: 'web' } }, 'default')),
      refusalOf(() => toDefinition({ metadata: { name: 'web', labels: { [long]: 1 } } }, 'default')),
      refusalOf(() => toDefinition({ metadata: { name: long } }, 'default', 'web')),
    ]) {
      expect(refusal?.message).toContain('(900');
      expect(refusal!.message.length + (refusal!.field?.length ?? 0)).toBeLessThan(1_000);
    }
  });
});

describe('a target as answered', () => {
  it('gives labels and annotations in key order, whatever order they came in (a create and a GET answered them differently: probe)', () => {
    const view = {
      id: 'i', name: 'web', namespace: 'default', labels: { zone: 'a', app: 'web' }, annotations: { 'db-password': 'x', note: 'n', a: '1' },
      createdAt: '2026-12-07T00:00:00Z', modifiedAt: '2026-12-07T00:00:00Z', resourceVersion: 1, kubernetesNamespace: null,
    };
    const { metadata } = toDocument(view as Parameters<typeof toDocument>[0]);
    expect(Object.keys(metadata.labels)).toEqual(['app', 'zone']);
    expect(Object.keys(metadata.annotations)).toEqual(['a', 'db-password', 'note']);
  });
});
