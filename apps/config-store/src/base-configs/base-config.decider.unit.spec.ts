import { BaseConfigsUploaded, BaseImageUpdated, type BaseConfigEvent, type BaseDocument } from '@slipway/contracts';
import { fold, throughSnapshot } from '@slipway/event-log';
import { stringify } from 'yaml';
import { baseConfigDecider, type BaseConfigCommand } from './base-config.decider';

const now = '2026-11-23T10:00:00.000Z';
const web: BaseDocument = {
  objectName: 'web', kind: 'Deployment', apiVersion: 'apps/v1',
  config: stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'r/app:1' }, { name: 'side', image: 'r/side:1' }] } } } }),
};
const cm: BaseDocument = { objectName: 'cm', kind: 'ConfigMap', apiVersion: 'v1', config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' };

function given(events: BaseConfigEvent[]) {
  const state = fold(baseConfigDecider, events);
  return { when: (command: BaseConfigCommand) => () => baseConfigDecider.decide(command, state) };
}
const uploaded: BaseConfigEvent = { type: BaseConfigsUploaded.type, data: { releaseVersion: '1.0', documents: [web, cm], uploadedBy: 'ann', uploadedAt: now } };

describe('base config decider', () => {
  it('records an upload with its creator', () => {
    expect(given([]).when({ kind: 'upload', releaseVersion: '1.0', documents: [web, cm], by: 'ann', now })()).toEqual([uploaded]);
  });

  it('records only the documents a re-upload changes, and nothing when none changed', () => {
    const changed = { ...cm, config: `${cm.config}data:\n  a: b\n` };
    expect(given([uploaded]).when({ kind: 'upload', releaseVersion: '1.0', documents: [web, changed], by: 'bob', now })())
      .toEqual([{ type: BaseConfigsUploaded.type, data: { releaseVersion: '1.0', documents: [changed], uploadedBy: 'bob', uploadedAt: now } }]);
    expect(given([uploaded]).when({ kind: 'upload', releaseVersion: '1.0', documents: [web, cm], by: 'bob', now })()).toEqual([]);
  });

  it('updates the first container\'s image when no container is named', () => {
    const [event] = given([uploaded]).when({ kind: 'update-image', releaseVersion: '1.0', objectName: 'web', image: 'r/app:2', comment: 'bump', by: 'ann', now })();
    expect(event).toMatchObject({ type: BaseImageUpdated.type, data: { container: 'app', image: 'r/app:2', comment: 'bump' } });
    expect((event!.data as { config: string }).config).toContain('image: r/app:2');
    expect((event!.data as { config: string }).config).toContain('image: r/side:1');
  });

  it('refuses an unknown container, an object without containers, and a missing object', () => {
    const base = { kind: 'update-image' as const, releaseVersion: '1.0', image: 'x:1', comment: 'c', by: 'a', now };
    expect(given([uploaded]).when({ ...base, objectName: 'web', container: 'nope' })).toThrow(expect.objectContaining({ code: 'invalid', field: 'container', message: expect.stringContaining('app, side') }));
    expect(given([uploaded]).when({ ...base, objectName: 'cm' })).toThrow(expect.objectContaining({ code: 'invalid', field: 'object' }));
    expect(given([uploaded]).when({ ...base, objectName: 'ghost' })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('reads back from a snapshot the state it kept', () => {
    const updated: BaseConfigEvent = { type: BaseImageUpdated.type, data: { releaseVersion: '1.0', objectName: 'web', container: 'app', image: 'r/app:2', comment: 'c', config: 'changed', updatedBy: 'ann', updatedAt: now } };
    const state = fold(baseConfigDecider, [uploaded, updated]);
    expect(state.objects.size).toBe(2);
    expect(throughSnapshot(baseConfigDecider.snapshots!, state)).toEqual(state);
  });
});
