import { PatchDeleted, PatchesApplied, type PatchEvent } from '@slipway/contracts';
import { fold, throughSnapshot } from '@slipway/event-log';
import type { ParsedPatch } from '../parsing/parse-patches';
import { patchDecider, type PatchCommand } from './patch.decider';

const now = '2026-11-23T10:00:00.000Z';
const ms = Date.parse(now);
const patch: ParsedPatch = { target: 'web', format: 'YAML', kind: 'Deployment', patch: 'spec:\n  replicas: 3' };

function given(events: PatchEvent[]) {
  const state = fold(patchDecider, events);
  return { when: (command: PatchCommand) => () => patchDecider.decide(command, state) };
}
const applied = (version: number): PatchEvent => ({ type: PatchesApplied.type, data: { patches: [{ ...patch, version, description: '' }], createdBy: 'a', createdAt: now } });

describe('patch decider', () => {
  it('numbers new patches from the command time, in order', () => {
    const events = given([]).when({ kind: 'apply', patches: [patch, { ...patch, target: 'db' }], description: 'd', by: 'ann', now })();
    expect(events).toEqual([{ type: PatchesApplied.type, data: {
      patches: [{ ...patch, version: ms, description: 'd' }, { ...patch, target: 'db', version: ms + 1, description: 'd' }], createdBy: 'ann', createdAt: now,
    } }]);
  });

  it('keeps versions strictly increasing even when the clock is behind the last version', () => {
    const [event] = given([applied(ms + 5_000)]).when({ kind: 'apply', patches: [patch], description: '', by: 'a', now })();
    expect((event!.data as { patches: Array<{ version: number }> }).patches[0]!.version).toBe(ms + 5_001);
  });

  it('never reuses the version of a deleted patch', () => {
    const history = [applied(ms), { type: PatchDeleted.type, data: { version: ms, deletedAt: now } } as PatchEvent];
    const [event] = given(history).when({ kind: 'apply', patches: [patch], description: '', by: 'a', now })();
    expect((event!.data as { patches: Array<{ version: number }> }).patches[0]!.version).toBe(ms + 1);
  });

  it('refuses a patch that does not fit an object it targets, naming why', () => {
    expect(given([]).when({ kind: 'apply', patches: [patch], description: '', by: 'a', now, misfit: { reason: 'patch does not apply to "web": x', patch: 1 } }))
      .toThrow(expect.objectContaining({ code: 'invalid', field: 'patch', message: 'patch does not apply to "web": x' }));
  });

  it('deletes a live patch, and refuses to delete it twice', () => {
    const deleted = given([applied(ms)]).when({ kind: 'delete', version: ms, now })();
    expect(deleted).toEqual([{ type: PatchDeleted.type, data: { version: ms, deletedAt: now } }]);
    expect(given([applied(ms), ...deleted]).when({ kind: 'delete', version: ms, now })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('reads back from a snapshot the state it kept', () => {
    const state = fold(patchDecider, [applied(ms), applied(ms + 5), { type: PatchDeleted.type, data: { version: ms, deletedAt: now } } as PatchEvent]);
    expect(state).toEqual({ lastVersion: ms + 5, live: new Set([ms + 5]) });
    expect(throughSnapshot(patchDecider.snapshots!, state)).toEqual(state);
  });
});
