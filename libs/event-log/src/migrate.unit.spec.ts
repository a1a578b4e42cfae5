import { newerMigrations } from './migrate';

describe('newerMigrations', () => {
  const known = ['001-event-log', '002-command-retries', 'deployer-001-targets', 'deployer-002-seal-key'];

  it('given a database migrated as far as this version knows, finds nothing newer', () => {
    expect(newerMigrations([...known, 'config-001-deployment-manager', 'config-004-sealed-values'], known)).toEqual([]);
  });

  it('given migrations of its own families it does not know, names them (a newer version ran them)', () => {
    expect(newerMigrations([...known, '003-stream-snapshots', 'deployer-003-sealed-values'], known)).toEqual(['003-stream-snapshots', 'deployer-003-sealed-values']);
  });

  it('leaves another service\'s migrations to that service, whatever it ran', () => {
    expect(newerMigrations([...known, 'config-009-future', 'telemetry-002-future'], known)).toEqual([]);
  });
});
