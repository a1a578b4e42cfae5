import type { KubeObject } from './kube-object';
import { diffAgainstList, remember } from './watch-event';

const cm = (name: string, resourceVersion: string, uid = `uid-${name}`): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', uid, resourceVersion } });

describe('diffAgainstList (relist after 410 Gone)', () => {
  it('given nothing known, when listed, then every object is ADDED', () => {
    const known = new Map<string, KubeObject>();
    expect(diffAgainstList(known, [cm('a', '1'), cm('b', '2')]).map((e) => e.type)).toEqual(['ADDED', 'ADDED']);
    expect([...known.keys()]).toEqual(['ns/a', 'ns/b']);
  });

  it('given known objects, when the list shows changes, then only the differences are delivered', () => {
    const known = new Map<string, KubeObject>();
    diffAgainstList(known, [cm('same', '1'), cm('changed', '2'), cm('gone', '3'), cm('recreated', '4')]);
    const events = diffAgainstList(known, [cm('same', '1'), cm('changed', '9'), cm('recreated', '10', 'new-uid'), cm('new', '11')]);
    expect(events.map((e) => (e.type === 'SYNCED' ? e.type : `${e.type} ${e.object.metadata.name}`))).toEqual([
      'MODIFIED changed', 'DELETED recreated', 'ADDED recreated', 'ADDED new', 'DELETED gone',
    ]);
    expect([...known.keys()].sort()).toEqual(['ns/changed', 'ns/new', 'ns/recreated', 'ns/same']);
  });

  it('given watch events, when remembered, then the next relist diffs against them', () => {
    const known = new Map<string, KubeObject>();
    remember(known, { type: 'ADDED', object: cm('a', '5') });
    remember(known, { type: 'DELETED', object: cm('a', '6') });
    remember(known, { type: 'MODIFIED', object: cm('b', '7') });
    expect(diffAgainstList(known, [cm('b', '7')])).toEqual([]);
  });
});
