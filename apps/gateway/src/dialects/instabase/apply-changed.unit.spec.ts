import type { CommandBus } from '@slipway/bus';
import { DomainError } from '@slipway/contracts';
import { CommandAccepted } from '../../http/accepted';
import { acceptedBody } from '../../http/error-shapes';
import { applyChanged } from './apply-changed';

describe('a write and its push within one wait bound (applyChanged)', () => {
  const actor = { principal: 'tester', kind: 'token' as const };
  const write = { commandId: 'write-1', correlationId: 'write-1' };
  /** A bus that must not be asked: whatever is sent on it fails the test. */
  const untouched = { send: () => { throw new Error('the push was waited for'); } } as unknown as CommandBus;

  it('given a write that spent the bound, then it answers 202 pointing at the push, without waiting for it', async () => {
    const outcome = { materialized: ['settings'], successfulApply: [], failedToApply: [] };
    const thrown = await applyChanged(untouched, actor, outcome, write, 0).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(CommandAccepted);
    expect((thrown as CommandAccepted).statusUrl).toBe('/api/v1/commands/write-1-push');
  });

  it('given a write that left a stored patch out and spent the bound, then its 202 names the patch, which the push\'s status does not carry', async () => {
    const outcome = { materialized: ['settings'], successfulApply: [], failedToApply: [], patchesNotApplied: [{ version: 7, object: 'settings' }] };
    const thrown = await applyChanged(untouched, actor, outcome, write, 0).catch((error: unknown) => error) as CommandAccepted;
    expect(acceptedBody('instabase', thrown, { successful_apply: [], failed_to_apply: [] })).toEqual({ statusCode: 202, error: null, data: {
      successful_apply: [], failed_to_apply: [], materialized: ['settings'], patches_not_applied: [{ version: 7, object_name: 'settings' }],
      commandId: 'write-1-push', status: 'accepted', statusUrl: '/api/v1/commands/write-1-push',
    } });
  });

  it('given a write that changed nothing, then it answers the write alone, however late', async () => {
    const outcome = { materialized: [], successfulApply: [], failedToApply: [] };
    await expect(applyChanged(untouched, actor, outcome, write, -5)).resolves.toBe(outcome);
  });

  it('given a push the bus could not wait for (the write committed, its push handed over), then it answers 202 pointing at the push, not 503', async () => {
    const outcome = { materialized: ['settings'], successfulApply: [], failedToApply: [] };
    const slow = { send: async () => { throw new DomainError('unavailable', 'the command did not answer in time; retry shortly'); } } as unknown as CommandBus;
    const thrown = await applyChanged(slow, actor, outcome, write, 1_000).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(CommandAccepted);
    expect((thrown as CommandAccepted).statusUrl).toBe('/api/v1/commands/write-1-push');
    // any other failure is what it was
    const broken = { send: async () => { throw new DomainError('invalid', 'objects: not a list'); } } as unknown as CommandBus;
    await expect(applyChanged(broken, actor, outcome, write, 1_000)).rejects.toMatchObject({ code: 'invalid' });
  });
});
