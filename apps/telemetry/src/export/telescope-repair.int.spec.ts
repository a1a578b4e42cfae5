import { createPool, handleCommand, migrate, rebuildAndCompare, rebuildLive } from '@slipway/event-log';
import { createTestDatabase, eventually } from '@slipway/testing';
import type { Pool } from 'pg';
import { telemetryMigrations } from './migrations';
import { EXPORT_STREAM, telescopeDecider, type ExportRequest, type TelescopeCommand } from './telescope.decider';
import { findJob, telescopeProjection } from './telescope.projection';

/**
 * The telescope projection reads a job's row before writing it: a repair swapping the rows
 * meanwhile must not be undone by a write folded onto the row it replaced.
 */
describe('repairing the telescope jobs while an export completes', () => {
  let pool: Pool;
  beforeAll(async () => {
    const url = await createTestDatabase();
    await migrate(url, telemetryMigrations);
    pool = createPool(url, { schema: 'telemetry' });
  });
  afterAll(() => pool.end());

  const run = (commandId: string, command: TelescopeCommand & { id: string }) => handleCommand(pool, { commandId, correlationId: commandId, actor: 'test', issuedAt: new Date().toISOString() }, {
    subject: `cmd.telemetry.${command.kind}.v1`, streamId: EXPORT_STREAM(command.id), decider: telescopeDecider, projections: [telescopeProjection],
    command: () => command, result: () => null,
  });

  it('applies the completion onto the repaired row, not the one the repair replaced', async () => {
    // given an export requested, and its row made to differ from the log (an older rule, a bug)
    const id = '4e0c2b1a-7d3f-5a9e-8c21-6f0b9d3e2a17';
    const request: ExportRequest = { services: [], data_sources: ['STATS'], start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z', label: 'repaired' };
    await run('request', { kind: 'request-export', id, request });
    await pool.query(`UPDATE telescope_jobs SET request = '{"label": "damaged"}'::jsonb WHERE id = $1`, [id]);

    // when the export completes while the repair holds the table, before its swap
    let completing: Promise<unknown> | undefined;
    const repair = rebuildLive(pool, 'telemetry', telescopeProjection, 5_000, async () => {
      completing = run('complete', { kind: 'complete-export', id, zipFilePath: '/tmp/x.zip', files: {} });
      // (the completion waits for the table either way: to read the row, or to write it)
      await eventually(async () => {
        const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%telescope_jobs%'");
        expect(rows[0]!.n).toBeGreaterThan(0);
      }, 20_000);
    });
    expect(await repair).toMatchObject({ repaired: true });
    await completing;

    // then the job is complete with its request as logged, equal to a rebuild
    expect(await findJob(pool, 'export', id)).toMatchObject({ job_status: 'SUCCESS', request: { label: 'repaired' } });
    expect(await rebuildAndCompare(pool, 'telemetry', telescopeProjection)).toMatchObject({ equal: true });
  });
});
