import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPool, handleCommand, migrate, rebuildAndCompare } from '@slipway/event-log';
import { createTestDatabase } from '@slipway/testing';
import type { Pool } from 'pg';
import { expireExports } from './expire-exports';
import { TELESCOPE_DDL_002, telemetryMigrations } from './migrations';
import { EXPORT_STREAM, telescopeDecider, type TelescopeCommand } from './telescope.decider';
import { findJob, telescopeProjection } from './telescope.projection';
import { writeZip } from './write-zip';

const HOUR_MS = 3_600_000;

/**
 * Completed exports are kept SLIPWAY_EXPORT_RETENTION_HOURS: then their zips leave the disk
 * and the exports read EXPIRED, saying why. Time is given (`now`), not waited for.
 */
describe('telescope exports past their retention', () => {
  let url: string;
  let pool: Pool;
  const root = mkdtempSync(join(tmpdir(), 'slipway-expire-'));

  beforeAll(async () => {
    url = await createTestDatabase();
    await migrate(url, telemetryMigrations);
    pool = createPool(url, { schema: 'telemetry' });
  });
  afterAll(() => pool?.end());

  const run = (id: string, command: TelescopeCommand, issuedAt: Date) =>
    handleCommand(pool, { commandId: `${id}-${command.kind}`, correlationId: id, actor: 'test', issuedAt: issuedAt.toISOString() }, {
      subject: `test.${command.kind}`, streamId: EXPORT_STREAM(id), decider: telescopeDecider, projections: [telescopeProjection],
      command: () => command, result: () => null,
    });
  /** An export completed at `finished` (its zip written then), as the collector records one. */
  async function completed(id: string, finished: Date): Promise<string> {
    await run(id, { kind: 'request-export', id, request: { services: [], data_sources: ['STATS'], start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', label: id } }, finished);
    const zip = writeZip(id, { 'stats.json': { pods: 1 } }, root);
    utimesSync(zip.path, finished, finished);
    utimesSync(dirname(zip.path), finished, finished);
    await run(id, { kind: 'complete-export', id, zipFilePath: zip.path, files: zip.sizes }, finished);
    return zip.path;
  }

  it('removes the zips older than the retention, records those exports EXPIRED, and leaves the newer ones', async () => {
    const now = new Date();
    // The log's own times: an export's completion is recorded at its command's time.
    const old = await completed('7e0c1a52-3b4d-5e6f-8a9b-0c1d2e3f4a5b', new Date(now.getTime() - 30 * HOUR_MS));
    const recent = await completed('1a2b3c4d-5e6f-5a7b-8c9d-0e1f2a3b4c5d', new Date(now.getTime() - 2 * HOUR_MS));
    const failedId = '9f8e7d6c-5b4a-5c3d-8e2f-1a0b9c8d7e6f';
    await run(failedId, { kind: 'request-export', id: failedId, request: { services: [], data_sources: ['STATS'], start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', label: 'f' } }, new Date(now.getTime() - 40 * HOUR_MS));
    await run(failedId, { kind: 'fail-export', id: failedId, reason: 'no pods' }, new Date(now.getTime() - 40 * HOUR_MS));

    // and, in the same temp directory, another installation's old zip, and a directory just made for a collection under way
    const foreign = writeZip('5a5a5a5a-0000-5000-8000-000000000001', { 'stats.json': {} }, root).path;
    const longAgo = new Date(now.getTime() - 100 * HOUR_MS);
    utimesSync(foreign, longAgo, longAgo);
    utimesSync(dirname(foreign), longAgo, longAgo);
    const underWay = join(root, 'telescope-12345');
    mkdirSync(underWay);

    expect(await expireExports(pool, 24, now, root)).toEqual(['7e0c1a52-3b4d-5e6f-8a9b-0c1d2e3f4a5b']);
    expect(existsSync(foreign)).toBe(true);
    expect(existsSync(underWay)).toBe(true);
    rmSync(dirname(foreign), { recursive: true });
    rmSync(underWay, { recursive: true });

    expect(existsSync(old)).toBe(false);
    expect(existsSync(dirname(old))).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(await findJob(pool, 'export', '7e0c1a52-3b4d-5e6f-8a9b-0c1d2e3f4a5b')).toMatchObject({
      job_status: 'EXPIRED', result: { zip_file_path: '', error: expect.stringContaining('removed 24 hours after it was made') },
    });
    expect((await findJob(pool, 'export', '1a2b3c4d-5e6f-5a7b-8c9d-0e1f2a3b4c5d'))?.job_status).toBe('SUCCESS');
    expect((await findJob(pool, 'export', failedId))?.job_status).toBe('FAILED');

    // Again: nothing more to do, and nothing recorded twice.
    expect(await expireExports(pool, 24, now, root)).toEqual([]);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM public.events WHERE type = 'telemetry.export-expired.v1'");
    expect(rows[0].n).toBe(1);
    // Later, the recent one goes too.
    expect(await expireExports(pool, 24, new Date(now.getTime() + 23 * HOUR_MS), root)).toEqual(['1a2b3c4d-5e6f-5a7b-8c9d-0e1f2a3b4c5d']);
    expect(readdirSync(root)).toEqual([]);
    expect(await rebuildAndCompare(pool, 'telemetry', telescopeProjection)).toMatchObject({ equal: true });
  });

  it('takes the finish time of exports completed before it was kept from the log', async () => {
    const before = await pool.query('SELECT id, finished_at FROM telescope_jobs ORDER BY id');
    expect(before.rows.filter((row) => row.finished_at !== null)).toHaveLength(2);
    await pool.query('UPDATE telescope_jobs SET finished_at = NULL');
    await pool.query(TELESCOPE_DDL_002[1]!);
    expect((await pool.query('SELECT id, finished_at FROM telescope_jobs ORDER BY id')).rows).toEqual(before.rows);
  });

  it('records an export expired whose zip another process wrote (not on this disk), and finishes one whose zip went before a stop', async () => {
    const now = new Date();
    const id = '3c4d5e6f-7a8b-5c9d-8e0f-1a2b3c4d5e6f';
    const zip = await completed(id, new Date(now.getTime() - 50 * HOUR_MS));
    // Removed already (another process's disk, or this one stopped before recording it).
    expect(await expireExports(pool, 24, now, mkdtempSync(join(tmpdir(), 'slipway-expire-other-')))).toEqual([id]);
    expect((await findJob(pool, 'export', id))?.job_status).toBe('EXPIRED');
    // This disk's copy goes on its own process's next sweep, by its time.
    expect(existsSync(zip)).toBe(true);
    await expireExports(pool, 24, now, root);
    expect(existsSync(zip)).toBe(false);
  });
});
