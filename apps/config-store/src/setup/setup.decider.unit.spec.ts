import { DatabaseSetUp, DeploymentManagerSetUp } from '@slipway/contracts';
import { fold } from '@slipway/event-log';
import { setupDecider } from './setup.decider';

const now = '2026-11-23T10:00:00.000Z';

describe('setup decider', () => {
  it('initialises the database once, then refuses with the document\'s message', () => {
    const first = setupDecider.decide({ kind: 'set-up-database', options: { create_admin_account: true }, now }, fold(setupDecider, []));
    expect(first).toEqual([{ type: DatabaseSetUp.type, data: { options: { create_admin_account: true }, setUpAt: now } }]);
    expect(() => setupDecider.decide({ kind: 'set-up-database', options: {}, now }, fold(setupDecider, first)))
      .toThrow(expect.objectContaining({ code: 'already-exists', message: 'Tables have already been set up' }));
  });

  it('set-up can be repeated (it re-checks default labels)', () => {
    const state = fold(setupDecider, [{ type: DeploymentManagerSetUp.type, data: { setUpAt: now } }]);
    expect(state.setUp).toBe(true);
    expect(setupDecider.decide({ kind: 'set-up', now }, state)).toEqual([{ type: DeploymentManagerSetUp.type, data: { setUpAt: now } }]);
  });
});
