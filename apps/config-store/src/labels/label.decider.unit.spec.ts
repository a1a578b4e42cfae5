import { LabelsBound } from '@slipway/contracts';
import { labelDecider } from './label.decider';

const now = '2026-11-23T10:00:00.000Z';

describe('label decider', () => {
  it('binds every label to every object, once per pair', () => {
    const events = labelDecider.decide({ kind: 'bind', labels: ['database', 'grpc', 'grpc'], objects: ['a', 'b'], now }, { events: 0 });
    expect(events).toEqual([{ type: LabelsBound.type, data: { boundAt: now, pairs: [
      { label: 'database', objectName: 'a' }, { label: 'database', objectName: 'b' }, { label: 'grpc', objectName: 'a' }, { label: 'grpc', objectName: 'b' },
    ] } }]);
  });

  it('deleting the bindings of an object that has none records nothing', () => {
    expect(labelDecider.decide({ kind: 'delete-object', objectName: 'a', bound: 0, now }, { events: 0 })).toEqual([]);
    expect(labelDecider.decide({ kind: 'delete-object', objectName: 'a', bound: 2, now }, { events: 0 })).toHaveLength(1);
  });

  it('refuses a binding that brings a stored patch to an object it does not fit, naming the patch', () => {
    const bind = { kind: 'bind' as const, labels: ['x'], objects: ['a'], now, misfit: { patch: 7, reason: 'patch does not apply to "a": spec.hostNetwork must be true or false' } };
    expect(() => labelDecider.decide(bind, { events: 0 })).toThrow(/^the binding would bring stored patch 7 to an object it does not fit, and is checked as a new patch is: patch does not apply to "a"/);
  });

  it('refuses a label named like an object for other objects (a patch targeting that name is the object\'s); the object itself may carry it', () => {
    const bind = { kind: 'bind' as const, labels: ['web', 'db'], objects: ['api'], now, labelsNamingObjects: ['web'] };
    expect(() => labelDecider.decide(bind, { events: 0 })).toThrow('label "web" is the name of an object: a patch targeting "web" is that object\'s, and would reach every object bound to the label; name the label otherwise');
    expect(labelDecider.decide({ ...bind, labels: ['web'], objects: ['web'] }, { events: 0 })).toHaveLength(1);
  });
});
