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

  it('records an image update with the config the command brings, and nothing when it is the current one', () => {
    const update = { kind: 'update-image' as const, releaseVersion: '1.0', objectName: 'web', container: 'app', image: 'r/app:2', comment: 'bump', by: 'ann', now };
    const config = web.config.replace('r/app:1', 'r/app:2');
    expect(given([uploaded]).when({ ...update, config })()).toEqual([{ type: BaseImageUpdated.type, data: {
      releaseVersion: '1.0', objectName: 'web', container: 'app', image: 'r/app:2', comment: 'bump', config, updatedBy: 'ann', updatedAt: now,
    } }]);
    expect(given([uploaded]).when({ ...update, config: web.config })()).toEqual([]);
  });

  it('refuses an image update of an object the release does not have', () => {
    const update = { kind: 'update-image' as const, releaseVersion: '1.0', objectName: 'ghost', container: 'app', config: 'x', image: 'x:1', comment: 'c', by: 'a', now };
    expect(given([uploaded]).when(update)).toThrow(expect.objectContaining({ code: 'not-found', field: 'object' }));
  });

  it('reads back from a snapshot the state it kept', () => {
    const updated: BaseConfigEvent = { type: BaseImageUpdated.type, data: { releaseVersion: '1.0', objectName: 'web', container: 'app', image: 'r/app:2', comment: 'c', config: 'changed', updatedBy: 'ann', updatedAt: now } };
    const state = fold(baseConfigDecider, [uploaded, updated]);
    expect(state.objects.size).toBe(2);
    expect(throughSnapshot(baseConfigDecider.snapshots!, state)).toEqual(state);
  });
});
