import { poolOnNewLog } from '@slipway/testing/new-log';
import { prepareReadBases, readBasesPlan } from './snapshots';

/** Every node of a JSON plan, depth first. */
function nodesOf(plan: unknown): Array<Record<string, unknown>> {
  const node = plan as Record<string, unknown>;
  return [node, ...((node.Plans as unknown[] | undefined) ?? []).flatMap(nodesOf)];
}

describe('the read of stream bases (every batch of commands begins with it)', () => {
  const log = poolOnNewLog();

  it('reads the events and snapshots by their indexes only, in the plan it keeps from a connection\'s first batch on an empty log (a hash join over the events table cost Postgres twice the CPU a command)', async () => {
    const client = await log.pool.connect();
    try {
      // Prepared as a service's first batch prepares it, while the log is empty; the plan is kept.
      await prepareReadBases(client);
      await readBasesPlan(client, [{ streamId: 'first' }]);
      // A log of some size since, before its statistics are taken (autovacuum comes by later), and after.
      await client.query(`INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
        SELECT gen_random_uuid(), 's' || (n / 10), n % 10 + 1, 'test.v1', '{}', '{}' FROM generate_series(0, 49999) AS n`);
      await client.query(`INSERT INTO stream_snapshots (stream_id, decider, state_version, stream_version, state)
        SELECT 's' || n, 'counter', 1, 10, '{}' FROM generate_series(0, 4999) AS n`);
      const streams = [{ streamId: 's1', snapshots: { name: 'counter', version: 1, every: 32, remember: true }, remembered: { version: 3, eventId: '00000000-0000-0000-0000-000000000000', state: {} } }, { streamId: 's2' }];
      for (const analyzed of [false, true]) {
        if (analyzed) await client.query('ANALYZE events; ANALYZE stream_snapshots');
        const nodes = nodesOf((await readBasesPlan(client, streams) as Array<{ Plan: unknown }>)[0]!.Plan);
        // The fold's events, the remembered fold's last event, the snapshot's event: each looked up by an index.
        const scans = nodes.filter((node) => node['Relation Name'] === 'events');
        expect(scans.length).toBeGreaterThanOrEqual(3);
        for (const scan of scans) expect(scan['Node Type']).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan)$/);
        // Nothing scans a whole table (the snapshots' neither).
        expect(nodes.map((node) => node['Node Type'])).not.toContain('Seq Scan');
      }
    } finally {
      client.release();
    }
  });
});
