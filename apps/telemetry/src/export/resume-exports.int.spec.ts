import { existsSync } from 'node:fs';
import { migrate, createPool, handleCommand } from '@slipway/event-log';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import type { Pool } from 'pg';
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

  it('are collected by the next telemetry process to start, and finish exactly once', async () => {
    // given an export that was requested (recorded WAITING) by a process that then stopped
    const id = '0b7c2a86-1c5d-5a3e-9f40-2d1e6c8b7a10';
    const request: ExportRequest = { services: [], data_sources: ['STATS'], start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', label: 'left-waiting' };
    await handleCommand(pool, { commandId: 'crashed-export', correlationId: 'crashed-export', actor: 'test', issuedAt: new Date().toISOString() }, {
      subject: 'cmd.telemetry.start-export.v1', streamId: EXPORT_STREAM(id), decider: telescopeDecider, projections: [telescopeProjection],
      command: () => ({ kind: 'request-export' as const, id, request }), result: () => null,
    });
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
