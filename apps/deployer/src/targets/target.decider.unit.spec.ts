import { TargetCreated, TargetDeleted, TargetMetadataUpdated, type TargetDefinition, type TargetEvent } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { targetDecider, type TargetCommand } from './target.decider';

const now = '2026-11-23T10:00:00.000Z';
const id = '9a3c5a52-6f7e-4c1e-9d7a-2f5b6a1e0c11';
const definition: TargetDefinition = {
  namespace: 'default', name: 'staging', labels: { team: 'a' }, annotations: {}, kubernetesNamespace: 'staging',
};

function given(events: TargetEvent[]) {
  const state = fold(targetDecider, events);
  return { when: (command: TargetCommand) => () => targetDecider.decide(command, state) };
}
const createdEvent: TargetEvent = { type: TargetCreated.type, data: { ...definition, id, createdAt: now } };

describe('target decider', () => {
  it('creates a target that does not exist', () => {
    expect(given([]).when({ kind: 'create', definition, id, now })()).toEqual([createdEvent]);
  });

  it('refuses to create a target twice', () => {
    expect(given([createdEvent]).when({ kind: 'create', definition, id, now })).toThrow(expect.objectContaining({ code: 'already-exists' }));
  });

  describe('a command carried out after its sender stopped waiting (late)', () => {
    const earlier = '2026-11-23T09:59:50.000Z';
    const deletedAt = '2026-11-23T10:00:05.000Z';
    const deleted: TargetEvent = { type: TargetDeleted.type, data: { id, deletedAt } };

    it('is refused when issued before the target\'s last change, which it would undo: a create answered 202, carried out after a later delete', () => {
      expect(given([createdEvent, deleted]).when({ kind: 'create', definition, id, now: earlier, late: true }))
        .toThrow(expect.objectContaining({ code: 'conflict', final: true, message: expect.stringContaining(`was changed by a command issued after this one (at ${deletedAt}`) }));
      expect(given([createdEvent]).when({ kind: 'upsert', definition: { ...definition, labels: { team: 'old' } }, id, now: earlier, late: true }))
        .toThrow(expect.objectContaining({ code: 'conflict' }));
      expect(given([createdEvent]).when({ kind: 'delete', key: definition, now: earlier, late: true, references: 0 }))
        .toThrow(expect.objectContaining({ code: 'conflict' }));
    });

    it('is carried out when issued after the last change (or at the same time), or onto a target never changed', () => {
      const later = '2026-11-23T10:00:06.000Z';
      expect(given([createdEvent, deleted]).when({ kind: 'create', definition, id, now: later, late: true })()).toEqual([{ ...createdEvent, data: { ...createdEvent.data, createdAt: later } }]);
      expect(given([createdEvent]).when({ kind: 'delete', key: definition, now, late: true, references: 0 })()).toEqual([{ type: TargetDeleted.type, data: { id, deletedAt: now } }]);
      expect(given([]).when({ kind: 'create', definition, id, now: earlier, late: true })()).toEqual([{ ...createdEvent, data: { ...createdEvent.data, createdAt: earlier } }]);
    });

    it('is judged against the latest time the target changed at, though writes are carried out in another order than issued; one that changes nothing is not refused', () => {
      const relabelled: TargetEvent = { type: TargetMetadataUpdated.type, data: { id, labels: { team: 'b' }, annotations: {}, modifiedAt: '2026-11-23T10:00:02.000Z' } };
      const olderCarriedOutAfter: TargetEvent = { type: TargetMetadataUpdated.type, data: { id, labels: { team: 'c' }, annotations: {}, modifiedAt: '2026-11-23T10:00:01.000Z' } };
      expect(given([createdEvent, relabelled, olderCarriedOutAfter]).when({ kind: 'upsert', definition: { ...definition, labels: { team: 'd' } }, id, now: '2026-11-23T10:00:01.500Z', late: true }))
        .toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('at 2026-11-23T10:00:02.000Z') }));
      expect(given([createdEvent, relabelled]).when({ kind: 'upsert', definition: { ...definition, labels: { team: 'b' } }, id, now: earlier, late: true })()).toEqual([]);
    });

    it('is not judged so while its sender waits: it is as concurrent as any other, and clocks differ', () => {
      expect(given([createdEvent, deleted]).when({ kind: 'create', definition, id, now: earlier })()).toEqual([{ ...createdEvent, data: { ...createdEvent.data, createdAt: earlier } }]);
    });
  });

  it('upsert creates when absent', () => {
    expect(given([]).when({ kind: 'upsert', definition, id, now })()).toEqual([createdEvent]);
  });

  it('upsert with the version it read updates; with another, or of a target deleted since, it is refused as a conflict', () => {
    const relabelled = { ...definition, labels: { team: 'b' } };
    const updatedEvent = { type: TargetMetadataUpdated.type, data: { id, labels: { team: 'b' }, annotations: {}, modifiedAt: now } };
    expect(given([createdEvent]).when({ kind: 'upsert', definition: relabelled, id, now, expectedVersion: 1 })()).toEqual([updatedEvent]);
    expect(given([createdEvent, updatedEvent]).when({ kind: 'upsert', definition: relabelled, id, now, expectedVersion: 1 }))
      .toThrow(expect.objectContaining({ code: 'conflict', field: 'metadata.resourceVersion', message: expect.stringContaining('is 2, not 1') }));
    const deleted: TargetEvent = { type: TargetDeleted.type, data: { id, deletedAt: now } };
    expect(given([createdEvent, deleted]).when({ kind: 'upsert', definition, id, now, expectedVersion: 1 }))
      .toThrow(expect.objectContaining({ code: 'conflict', field: 'metadata.resourceVersion', message: expect.stringContaining('it was deleted since it was read') }));
    // A name never used is not said to have been deleted (a probe).
    expect(given([]).when({ kind: 'upsert', definition, id, now, expectedVersion: 1 }))
      .toThrow(expect.objectContaining({ code: 'conflict', field: 'metadata.resourceVersion', message: expect.stringContaining('no target of that name was ever created there') }));
  });

  it('refuses an annotation key Kubernetes would refuse, unless the target holds it already (stored before the rule)', () => {
    const badKey = { ...definition, annotations: { 'bad key': 'v' } };
    expect(given([]).when({ kind: 'create', definition: badKey, id, now }))
      .toThrow(expect.objectContaining({ code: 'invalid', field: 'metadata.annotations.bad key' }));
    const stored: TargetEvent = { type: TargetCreated.type, data: { ...badKey, id, createdAt: now } };
    const relabelled = { ...badKey, labels: { team: 'b' } };
    expect(given([stored]).when({ kind: 'upsert', definition: relabelled, id, now })()).toHaveLength(1);
    expect(given([stored]).when({ kind: 'upsert', definition: { ...relabelled, annotations: { 'bad key': 'v', 'another bad': 'w' } }, id, now }))
      .toThrow(expect.objectContaining({ field: 'metadata.annotations.another bad' }));
  });

  it('refuses a token\'s secret in a label\'s key or value or an annotation\'s key, without quoting it, unless the target holds it already', () => {
    const token = `slw_${'Ab1'.repeat(14)}x`;
    for (const [labels, annotations, field] of [
      [{ [token]: 'v' }, {}, 'metadata.labels'], [{ team: token }, {}, 'metadata.labels'], [{}, { [`example.com/${token}`]: 'v' }, 'metadata.annotations'],
    ] as const) {
      const refused = given([]).when({ kind: 'create', definition: { ...definition, labels, annotations }, id, now });
      expect(refused).toThrow(expect.objectContaining({ code: 'invalid', field, message: expect.stringContaining("holds a token's secret") }));
      expect(refused).not.toThrow(expect.objectContaining({ message: expect.stringContaining(token) }));
    }
    // An annotation's value is sealed by the handler: it may hold one.
    expect(given([]).when({ kind: 'create', definition: { ...definition, annotations: { key: token } }, id, now })()).toHaveLength(1);
    const stored: TargetEvent = { type: TargetCreated.type, data: { ...definition, labels: { team: token }, id, createdAt: now } };
    expect(given([stored]).when({ kind: 'upsert', definition: { ...definition, labels: { team: token, tier: 'web' } }, id, now })()).toHaveLength(1);
    expect(given([stored]).when({ kind: 'upsert', definition: { ...definition, labels: { team: 'b', tier: token } }, id, now })).toThrow(expect.objectContaining({ field: 'metadata.labels' }));
  });

  it('upsert updates labels and annotations', () => {
    const events = given([createdEvent]).when({ kind: 'upsert', definition: { ...definition, labels: { team: 'b' }, annotations: { x: 'y' } }, id, now: 'later' })();
    expect(events).toEqual([{ type: TargetMetadataUpdated.type, data: { id, labels: { team: 'b' }, annotations: { x: 'y' }, modifiedAt: 'later' } }]);
  });

  it('upsert with identical metadata appends nothing', () => {
    expect(given([createdEvent]).when({ kind: 'upsert', definition, id, now })()).toEqual([]);
  });

  it('refuses a spec change, naming the field', () => {
    expect(given([createdEvent]).when({ kind: 'upsert', definition: { ...definition, kubernetesNamespace: 'prod' }, id, now }))
      .toThrow(expect.objectContaining({ code: 'immutable', field: 'spec.kubernetes.namespace' }));
  });

  it('refuses to delete while referenced', () => {
    expect(given([createdEvent]).when({ kind: 'delete', key: definition, now, references: 2 }))
      .toThrow(expect.objectContaining({ code: 'referenced', message: expect.stringContaining('2 deployments') }));
  });

  it('deletes an unreferenced target, and a deleted one is gone', () => {
    const deleted = given([createdEvent]).when({ kind: 'delete', key: definition, now, references: 0 })();
    expect(deleted).toEqual([{ type: TargetDeleted.type, data: { id, deletedAt: now } }]);
    expect(given([createdEvent, ...deleted]).when({ kind: 'delete', key: definition, now, references: 0 }))
      .toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('tracks the resource version across events', () => {
    const state = fold(targetDecider, [createdEvent, { type: TargetMetadataUpdated.type, data: { id, labels: {}, annotations: {}, modifiedAt: 'later' } }]);
    expect(state).toMatchObject({ exists: true, version: 2, target: { resourceVersion: 2, modifiedAt: 'later', createdAt: now } });
  });
});
