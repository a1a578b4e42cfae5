import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bus, CommandBus, decode, encode } from '@slipway/bus';
import { replySubject, StartTelemetryExport, type Actor, type CommandEnvelope, type Reply, type TelemetryJob } from '@slipway/contracts';
import { createPool, handleCommand, migrate } from '@slipway/event-log';
import type { RunningService } from '@slipway/runtime';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import type { Pool } from 'pg';
import { startTelemetry } from '../service';
import { claimExport } from './export-claim';
import { jobIdOf } from './job-id';
import { telemetryMigrations } from './migrations';
import { EXPORT_STREAM, telescopeDecider, type ExportRequest } from './telescope.decider';
import { findJob, telescopeProjection } from './telescope.projection';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * An export is collected only while it is WAITING, and by one telemetry process: a start
 * command answered again with its first reply (WAITING), or a process that finds the
 * export claimed by another, collects nothing. Closing telemetry waits for the collections
 * it started, so what a test reads after closing is all a collection would have written.
 */
describe('telescope exports are collected once', () => {
  let url: string;
  let pool: Pool;
  let bus: Bus;
  let config: { databaseUrl: string; natsUrl: string; busPrefix: string };
  const started: RunningService[] = [];
  const start = async () => {
    const telemetry = await startTelemetry(config);
    started.push(telemetry);
    return telemetry;
  };
  const stop = async (telemetry: RunningService) => {
    started.splice(started.indexOf(telemetry), 1);
    await telemetry.close();
  };
  const completions = async (id: string) => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type IN ('telemetry.export-completed.v1', 'telemetry.export-failed.v1')`, [EXPORT_STREAM(id)]);
    return rows[0]!.n;
  };
  const succeeded = (id: string) => eventually(async () => {
    const job = await findJob(pool, 'export', id);
    expect(job?.job_status).toBe('SUCCESS');
    return job!;
  }, 20_000);

  beforeAll(async () => {
    url = await createTestDatabase();
    await migrate(url, telemetryMigrations);
    pool = createPool(url, { schema: 'telemetry' });
    config = { databaseUrl: url, natsUrl: natsUrl(), busPrefix: testBusPrefix() };
    bus = await Bus.connect({ url: config.natsUrl, prefix: config.busPrefix });
  });
  afterAll(async () => {
    for (const service of started) await service.close();
    await bus?.close();
    await pool?.end();
  });

  /** Delivers the command again as a new message (as after JetStream's dedupe window) and returns the reply. */
  async function deliverAgain(envelope: CommandEnvelope): Promise<Reply<TelemetryJob>> {
    const replies = bus.nc.subscribe(bus.subject(replySubject(envelope.commandId)), { max: 1 });
    await bus.js.publish(bus.subject(StartTelemetryExport.subject), encode(envelope), { msgID: `${envelope.commandId}:again` });
    for await (const msg of replies) return decode<Reply<TelemetryJob>>(msg.data);
    throw new Error('no reply');
  }

  it('a start command delivered again after the export finished gets WAITING back but leaves the zip alone', async () => {
    // given an export that was started, collected and recorded SUCCESS
    const telemetry = await start();
    const commandId = randomUUID();
    const payload = { services: ['not-managed'], data_sources: ['STATS' as const], start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', label: 'once' };
    const first = await new CommandBus(bus).send(StartTelemetryExport, payload, { actor, commandId, waitMs: 20_000 });
    expect(first).toMatchObject({ status: 'completed', reply: { ok: true, value: { job_status: 'WAITING' } } });
    const id = jobIdOf(commandId);
    const done = await succeeded(id);
    const zipPath = (done.result as { zip_file_path: string }).zip_file_path;
    // (its zip marked, so that writing it again would show)
    writeFileSync(zipPath, 'the zip of the first collection');

    // when the same command is delivered again
    const again = await deliverAgain({ commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload });
    await stop(telemetry);

    // then it is answered with the recorded reply, WAITING
    expect(again).toMatchObject({ ok: true, value: { id, job_status: 'WAITING' } });
    // and nothing was collected again: the zip is the first one, the export finished once
    expect(readFileSync(zipPath, 'utf8')).toBe('the zip of the first collection');
    expect((await findJob(pool, 'export', id))?.job_status).toBe('SUCCESS');
    expect(await completions(id)).toBe(1);
    // recorded as what a service does on its own (docs/events.md; it read `telemetry`), caused by the request
    const { rows } = await pool.query<{ metadata: { actor: string; causationId?: string } }>(
      `SELECT metadata FROM events WHERE stream_id = $1 AND type = 'telemetry.export-completed.v1'`, [EXPORT_STREAM(id)]);
    expect(rows.map((r) => r.metadata)).toEqual([expect.objectContaining({ actor: 'slipway', causationId: commandId })]);
  });

  it('an export that fails for an internal reason says so without the internal text, which the log keeps', async () => {
    // given the place its zip goes taken by a file (so writing the zip fails with a file-system error)
    const telemetry = await start();
    const commandId = randomUUID();
    const id = jobIdOf(commandId);
    const blocker = join(tmpdir(), `telescope-${createHash('sha256').update(id).digest().readUInt32BE(0)}`);
    writeFileSync(blocker, 'not a directory');
    try {
      const payload = { services: ['not-managed'], data_sources: ['STATS' as const], start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', label: 'fails' };
      await new CommandBus(bus).send(StartTelemetryExport, payload, { actor, commandId, waitMs: 20_000 });
      const failed = await eventually(async () => {
        const job = await findJob(pool, 'export', id);
        expect(job?.job_status).toBe('FAILED');
        return job!;
      }, 20_000);
      expect(failed.result).toEqual({ zip_file_path: '', error: `the export could not be collected; the telemetry service's log says why (export ${id})` });
      const { rows } = await pool.query<{ data: unknown }>('SELECT data FROM events WHERE stream_id = $1', [EXPORT_STREAM(id)]);
      expect(JSON.stringify(rows)).not.toMatch(/EEXIST|ENOTDIR|telescope-/);
    } finally {
      await stop(telemetry);
      rmSync(blocker, { force: true });
    }
  });

  it('an export another process has claimed is left to it, and collected once the claim is let go', async () => {
    // given an export left WAITING, claimed by another process (here: the test)
    const id = randomUUID();
    const request: ExportRequest = { services: ['not-managed'], data_sources: ['STATS'], start: '2026-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', label: 'claimed' };
    await handleCommand(pool, { commandId: `request-${id}`, correlationId: id, actor: 'test', issuedAt: new Date().toISOString() }, {
      subject: StartTelemetryExport.subject, streamId: EXPORT_STREAM(id), decider: telescopeDecider, projections: [telescopeProjection],
      command: () => ({ kind: 'request-export' as const, id, request }), result: () => null,
    });
    const claim = await claimExport(pool, id);
    expect(claim).toBeDefined();
    try {
      // when a telemetry process starts (and resumes WAITING exports), then stops
      await stop(await start());

      // then it did not collect the export
      expect((await findJob(pool, 'export', id))?.job_status).toBe('WAITING');
      expect(await completions(id)).toBe(0);
    } finally {
      await claim!.release();
    }

    // and once the claim is let go, the next process to start collects it
    await start();
    await succeeded(id);
    expect(await completions(id)).toBe(1);
  });
});
