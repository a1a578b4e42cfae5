import { existsSync } from 'node:fs';
import { migrate, createPool, handleCommand } from '@slipway/event-log';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { Client, type Pool } from 'pg';
import { ExportCollector } from './export-collector';
import { startTelemetry } from '../service';
import { telemetryMigrations } from './migrations';
import { EXPORT_STREAM, telescopeDecider, type ExportRequest } from './telescope.decider';
import { findJob, telescopeProjection } from './telescope.projection';

/**
 * An export is answered WAITING and collected in the background: if the telemetry process
 * stops before it finishes, the next one to start collects it, and it still finishes once.
 */
describe('telescope exports left WAITING by a stopped telemetry', () => {
  let url: string;
  let pool: Pool;
  const started: RunningService[] = [];

  beforeAll(async () => {
    url = await createTestDatabase();
    await migrate(url, telemetryMigrations);
    pool = createPool(url, { schema: 'telemetry' });
  });
  afterAll(async () => {
    for (const service of started) await service.close();
    await pool?.end();
  });
  /** An export recorded WAITING, as a start command records it, by a process no longer collecting it. */
  const requestedBefore = async (id: string, label: string, services: string[] = []) => {
    const request: ExportRequest = { services, data_sources: ['STATS'], start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', label };
    await handleCommand(pool, { commandId: `${label}-export`, correlationId: `${label}-export`, actor: 'test', issuedAt: new Date().toISOString() }, {
      subject: 'cmd.telemetry.start-export.v1', streamId: EXPORT_STREAM(id), decider: telescopeDecider, projections: [telescopeProjection],
      command: () => ({ kind: 'request-export' as const, id, request }), result: () => null,
    });
    return id;
  };

  it('are looked for again at the next sweep when Postgres cannot be reached as telemetry starts, which goes on', async () => {
    // given a WAITING export, and a collector whose first look finds Postgres away
    const id = await requestedBefore('0b7c3e52-1d4f-5a86-9e27-3c8d5f1a6b04', 'postgres-away');
    let away = true;
    const flaky = new Proxy(pool, {
      get: (target, key) => (key === 'query' && away
        ? () => { away = false; return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })); }
        : Reflect.get(target, key, target)),
    });
    const collector = new ExportCollector(flaky, { sql: pool, lookup: async () => { throw new Error('no config store here'); }, cluster: undefined }, 168);
    try {
      // when it starts sweeping, it starts (a bootstrap that threw would stop telemetry)
      await expect(collector.sweep(100)).resolves.toBeUndefined();
      expect(away).toBe(false);
      // then the export is collected at a later sweep
      await eventually(async () => expect((await findJob(pool, 'export', id))?.job_status).toBe('SUCCESS'), 20_000);
    } finally {
      await collector.close();
    }
  });

  it('stay WAITING when Postgres drops out as their completion is recorded, and are completed at a later sweep', async () => {
    // given a WAITING export of one service, and Postgres refusing the next connection once the
    // collection is under way (its lookup asked): the one that records the completion
    const id = await requestedBefore('7e4a1c93-2b6d-5f80-a1c2-9d3e5b7f0a28', 'dropped-at-completion', ['web']);
    const refused = await new Client({ connectionString: 'postgres://nobody@127.0.0.1:1/none' }).connect().then(() => undefined, (error: unknown) => error);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    let armed = false;
    let dropped = 0;
    const flaky = new Proxy(pool, {
      get: (target, key) => (key === 'connect' && armed
        ? () => { armed = false; dropped += 1; return Promise.reject(refused); }
        : Reflect.get(target, key, target)),
    });
    let collections = 0;
    const lookup = async () => { collections += 1; armed = collections === 1; return undefined; };
    const collector = new ExportCollector(flaky, { sql: pool, lookup, cluster: undefined }, 168);
    try {
      // when the collector collects it and sweeps again
      collector.collect(id);
      await eventually(async () => expect(dropped).toBe(1), 10_000);
      await collector.sweep(100);
      // then it was collected a second time and completed, never failed
      await eventually(async () => expect((await findJob(pool, 'export', id))?.job_status).toBe('SUCCESS'), 20_000);
      expect(collections).toBe(2);
    } finally {
      await collector.close();
    }
  });

  it('are collected while telemetry runs, once the claim another session held is let go (no process has to start again)', async () => {
    // given a WAITING export whose claim another session holds (a process on a machine gone)
    const id = await requestedBefore('5d2e8f41-7a3b-5c9e-8d10-4f6a2b9c1e77', 'held-elsewhere');
    const elsewhere = new Client({ connectionString: url });
    await elsewhere.connect();
    try {
      expect((await elsewhere.query("SELECT pg_try_advisory_lock(hashtext('slipway:telescope-export'), hashtext($1)) AS ok", [id])).rows[0].ok).toBe(true);
      const collector = new ExportCollector(pool, { sql: pool, lookup: async () => { throw new Error('no config store here'); }, cluster: undefined }, 168);
      await collector.sweep(100);
      try {
        // when it has looked (and been refused the claim) a few times
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect((await findJob(pool, 'export', id))?.job_status).toBe('WAITING');
        // and the other session lets it go
        await elsewhere.end();
        // then it is collected without a restart
        await eventually(async () => expect((await findJob(pool, 'export', id))?.job_status).toBe('SUCCESS'), 20_000);
      } finally {
        await collector.close();
      }
    } finally {
      await elsewhere.end().catch(() => undefined);
    }
  });

  it('are collected by the next telemetry process to start, and finish exactly once', async () => {
    // given an export that was requested (recorded WAITING) by a process that then stopped
    const id = await requestedBefore('0b7c2a86-1c5d-5a3e-9f40-2d1e6c8b7a10', 'left-waiting');
    expect((await findJob(pool, 'export', id))?.job_status).toBe('WAITING');

    // when two telemetry processes start (both find it)
    const config = { databaseUrl: url, natsUrl: natsUrl(), busPrefix: testBusPrefix() };
    started.push(await startTelemetry(config), await startTelemetry(config));

    // then the export is collected into a real .zip and recorded SUCCESS
    const done = await eventually(async () => {
      const job = await findJob(pool, 'export', id);
      expect(job?.job_status).toBe('SUCCESS');
      return job!;
    }, 20_000);
    expect(existsSync((done.result as { zip_file_path: string }).zip_file_path)).toBe(true);
    // and it finished once, whichever process got there first (both stopped first: a second
    // completion could still be on its way)
    while (started.length > 0) await started.pop()!.close();
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'telemetry.export-completed.v1'`, [EXPORT_STREAM(id)]);
    expect(rows[0]!.n).toBe(1);
  });
});
