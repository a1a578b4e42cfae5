import { appendToStream, inTransaction, type EventMetadata } from '@slipway/event-log';
import { poolOnNewLog } from '@slipway/testing/new-log';
import { allProjections, replayAll, stuckProjections } from './replay';

const MINUTE = 60_000;

describe('npm run replay', () => {
  // The event log only: the services' own tables were never made here.
  const log = poolOnNewLog();

  it('reports each projection it cannot rebuild as failed, naming it and why, and goes on with the others', async () => {
    const reports = await replayAll(log.url);
    expect(reports.map((r) => r.projection)).toEqual(allProjections.flatMap(({ projections }) => projections.map((p) => p.name)));
    for (const report of reports) expect(report).toMatchObject({ equal: false, failed: expect.stringMatching(/^(schema|relation) ".+" does not exist$/) });
  });

  it('names a projection that follows the log and has left an event behind past the bound, which its comparison cannot see', async () => {
    const following = allProjections.flatMap(({ projections }) => projections.filter((p) => p.followsLog)).map((p) => p.name);
    expect(following.length).toBeGreaterThan(0);
    const now = Date.now();
    // given an event written now that no leader of those projections takes (their service stopped)
    await inTransaction(log.pool, (tx) => appendToStream(tx, 'replay-left', 0, [{ type: 'replay.left-behind.v1', data: {} }],
      { commandId: 'replay-left', correlationId: 'replay-left', actor: 'test', schemaVersion: 1, occurredAt: new Date(now).toISOString() } satisfies EventMetadata));
    // then they are behind, not yet stuck; two minutes on, they are
    expect(await stuckProjections(log.url, now)).toEqual([]);
    expect(await stuckProjections(log.url, now + 2 * MINUTE)).toEqual(following.map((name) => ({ name, stuck: true, oldestLeftAt: new Date(now).toISOString() })));
  });
});
