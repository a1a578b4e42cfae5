import { labelsRemovingPatch, QUARANTINED_LABELS, quarantinePatch, removedBy } from './quarantine-patch';

describe('the quarantine patch', () => {
  const web: Array<Record<string, string>> = [{ app: 'api' }, { app: 'api', track: 'stable' }, { app: 'other' }];

  it('removes the labels the selecting Services use and keeps them in an annotation', () => {
    expect(quarantinePatch({ app: 'api', track: 'stable', tier: 'web' }, web)).toEqual({
      metadata: {
        labels: { app: null, track: null, 'slipway.io/quarantined': 'true' },
        annotations: { [QUARANTINED_LABELS]: '{"app":"api","track":"stable"}' },
      },
    });
  });

  it('quarantined again, keeps what the first time removed (no Service selects the pod any more)', () => {
    const first = quarantinePatch({ app: 'api', tier: 'web' }, web);
    const after = { tier: 'web', 'slipway.io/quarantined': 'true' };
    expect(quarantinePatch(after, web, first.metadata.annotations).metadata.annotations).toEqual({ [QUARANTINED_LABELS]: '{"app":"api"}' });
  });

  it('drops an earlier record of a label the pod carries again (relabelled since)', () => {
    const first = quarantinePatch({ app: 'api' }, web);
    const relabelled = { app: 'api-v2', 'slipway.io/quarantined': 'true' };
    expect(quarantinePatch(relabelled, web, first.metadata.annotations).metadata.annotations).toEqual({ [QUARANTINED_LABELS]: '{}' });
  });

  it('names the pod judged by its uid, as a precondition of the patch', () => {
    expect(quarantinePatch({ app: 'api' }, web, {}, 'c0ffee-uid').metadata.uid).toBe('c0ffee-uid');
  });

  it('finishing a recorded quarantine, takes off the recorded keys the pod still carries, whatever Services select now', () => {
    const patch = labelsRemovingPatch({ app: 'api', tier: 'web' }, ['app', 'track'], {}, 'c0ffee-uid');
    expect(patch).toEqual({
      metadata: { uid: 'c0ffee-uid', labels: { app: null, 'slipway.io/quarantined': 'true' }, annotations: { [QUARANTINED_LABELS]: '{"app":"api"}' } },
    });
    expect(removedBy(patch)).toEqual(['app']);
  });

  it('ignores an annotation it cannot read', () => {
    expect(quarantinePatch({ app: 'api' }, web, { [QUARANTINED_LABELS]: 'not json' }).metadata.annotations).toEqual({ [QUARANTINED_LABELS]: '{"app":"api"}' });
  });
});
