import { createPool, inTransaction, insertEvents, migrate, type NewEvent } from '@slipway/event-log';
import { createTestDatabase } from '@slipway/testing';
import type { Pool } from 'pg';
import { MAX_EXPORTED_EVENT_BYTES, readServiceEvents } from './audit-events';
import { REDACTED } from '@slipway/contracts';

const MiB = 1024 * 1024;
const range = { start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' };

/** The audit events an export carries, read from a real event log. */
describe('readServiceEvents', () => {
  let pool: Pool;
  let version = 0;
  const append = (streamId: string, events: NewEvent[]) => inTransaction(pool, (tx) => insertEvents(tx, events.map((e) => ({
    ...e, streamId, streamVersion: ++version,
    metadata: { commandId: `c-${version}`, correlationId: 'c', actor: 'tester', schemaVersion: 1, occurredAt: '2026-06-01T00:00:00Z' },
  }))));

  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url);
    pool = createPool(url);
  });
  afterAll(() => pool?.end());

  it('stops at a byte bound, not a count: big events past it are left out and the export says so', async () => {
    // given three uploads about the service of 3 MiB each (9 MiB, past the 8 MiB bound)
    const upload = (n: number): NewEvent => ({ type: 'baseconfig.uploaded.v1', data: { objectName: 'big-service', n, config: 'x'.repeat(3 * MiB) } });
    await append('baseconfig-big', [upload(1), upload(2), upload(3)]);

    // when the export reads the service's events
    const read = await readServiceEvents(pool, range, new Set(['big-service']));

    // then it kept the first two, in log order, within the bound, and says the rest is missing
    expect(read.events.map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
    expect(read.truncated).toBe(true);
    expect(read.bytes).toBe(read.events.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0));
    expect(read.bytes).toBeGreaterThan(6 * MiB);
    expect(read.bytes).toBeLessThanOrEqual(MAX_EXPORTED_EVENT_BYTES);
  });

  it('redacts as the audit API does: an old settings event\'s secret settings are hidden too', async () => {
    // given a settings event from before secrets were withheld, naming the service (a `target` setting)
    const slackUrl = 'https://hooks.slack.com/services/T0/B0/very-secret';
    await append('settings-platform', [{ type: 'settings.updated.v1', data: { settings: { target: 'alerting', obsAlertSlackUrl: slackUrl, isProdEnvironment: 'true' }, updatedAt: 't' } }]);

    // when the export reads the service's events
    const read = await readServiceEvents(pool, range, new Set(['alerting']));

    // then the Slack webhook URL is hidden, the rest as it was
    expect(read).toMatchObject({ truncated: false, events: [{ type: 'settings.updated.v1', data: { settings: { target: 'alerting', obsAlertSlackUrl: REDACTED, isProdEnvironment: 'true' } } }] });
    expect(JSON.stringify(read.events)).not.toContain('very-secret');
  });

  it('hides what a patch event\'s description repeats of a secret patch the narrowing leaves out, as the audit API does', async () => {
    // given an event recorded before 2026-12-05 (text in the clear): one command patched a
    // Secret and the service, both patches sharing the description that repeats the password
    const description = 'rotate the db password to Zq8vLmT4pW2x';
    await append('patches', [{ type: 'patch.applied.v1', data: {
      createdBy: 'ops', createdAt: '2026-12-01T00:00:00.000Z',
      patches: [
        { version: 1, target: 'db-creds', format: 'YAML', kind: 'Secret', patch: 'kind: Secret\nstringData:\n  password: Zq8vLmT4pW2x', description },
        { version: 2, target: 'narrowed-web', format: 'YAML', kind: null, patch: 'metadata:\n  annotations:\n    rotated: "yes"', description },
      ],
    } }]);

    // when an export of the service alone reads it
    const read = await readServiceEvents(pool, range, new Set(['narrowed-web']));

    // then only the service's patch is there, its description without the Secret's password
    expect(read.events).toMatchObject([{ type: 'patch.applied.v1', data: { patches: [{ target: 'narrowed-web', description: `rotate the db password to ${REDACTED}` }] } }]);
    expect(JSON.stringify(read.events)).not.toContain('Zq8vLmT4pW2x');
  });
});
