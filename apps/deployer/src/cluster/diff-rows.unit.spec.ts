import { diffRows, MISSING } from './diff-rows';

describe('diffRows', () => {
  const applied = { spec: { replicas: 2, template: { spec: { containers: [{ name: 'a', image: 'x:1' }] } } }, metadata: { labels: { app: 'a' } } };

  it('finds nothing when the live object only adds fields', () => {
    const live = { ...applied, status: { ready: 1 }, metadata: { labels: { app: 'a', extra: 'y' }, uid: 'u' } };
    expect(diffRows(applied, live)).toEqual([]);
  });

  it('names each changed or missing field by its path', () => {
    const live = { spec: { replicas: 5, template: { spec: { containers: [{ name: 'a' }] } } }, metadata: { labels: {} } };
    expect(diffRows(applied, live)).toEqual([
      { key: 'spec.replicas', expected: '2', got: '5' },
      { key: 'spec.template.spec.containers.0.image', expected: 'x:1', got: MISSING },
      { key: 'metadata.labels.app', expected: 'a', got: MISSING },
    ]);
  });

  it('reports extra list entries and a changed type', () => {
    expect(diffRows({ l: [1] }, { l: [1, 2] })).toEqual([{ key: 'l.length', expected: '1', got: '2' }]);
    expect(diffRows({ o: { a: 1 } }, { o: 'text' })).toEqual([{ key: 'o', expected: '{"a":1}', got: 'text' }]);
  });
});
