import { shownStatus } from './commands.controller';

describe('a command status as clients read it', () => {
  it('shows a last refusal\'s error and time, not where the bus records whether it reached a client', () => {
    const shown = shownStatus({
      commandId: 'c1', status: 'pending', fingerprint: 'f',
      lastRefusal: { error: { code: 'unavailable', message: 'busy; retry shortly', final: false }, refusedAt: '2026-12-06T10:00:00.000Z', record: { subject: 'slipway.outage.COMMANDS.svc.7.refusal', stored: '1' } },
    });
    expect(shown).toEqual({ commandId: 'c1', status: 'pending', lastRefusal: { error: { code: 'unavailable', message: 'busy; retry shortly' }, refusedAt: '2026-12-06T10:00:00.000Z' } });
  });
});
