import { newerMigrations } from './migrate';

describe('newerMigrations', () => {
  const own = ['deployer-001-targets', 'deployer-002-seal-key'];

  it('given a database migrated as far as this version knows, finds nothing newer', () => {
    expect(newerMigrations(['001-event-log', ...own, 'config-001-deployment-manager', 'config-004-sealed-values'], own)).toEqual([]);
  });

  it('given migrations of its own family it does not know, names them (a newer version of it ran them)', () => {
    expect(newerMigrations([...own, 'deployer-003-sealed-values', 'deployer-004-next'], own)).toEqual(['deployer-003-sealed-values', 'deployer-004-next']);
  });

  it('leaves another service\'s migrations to that service, and the event log\'s (every service runs them) unjudged', () => {
    expect(newerMigrations([...own, 'config-009-future', 'telemetry-002-future', '099-event-log-future'], own)).toEqual([]);
  });
});
