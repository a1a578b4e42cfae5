import { Logger } from '@nestjs/common';
import { isTransient } from '@slipway/bus';
import { DomainError, SERVICE_PRINCIPAL, type TelemetryJob } from '@slipway/contracts';
import type { CommandContext } from '@slipway/event-log';
import type { Pool } from 'pg';
import { collect, type ExportSources } from './collect';
import { CollectionQueue } from './collection-queue';
import { claimExport } from './export-claim';
import { expireExports } from './expire-exports';
import { runTelescopeCommand } from './telescope-command';
import { EXPORT_STREAM, type ExportRequest, type TelescopeCommand } from './telescope.decider';
import { findJob, waitingExports } from './telescope.projection';
import { writeZip } from './write-zip';

/** Exports one telemetry process collects at once; the others wait their turn. */
export const COLLECTING_AT_ONCE = 2;
/** How often a process looks for exports left WAITING. */
export const SWEEP_EVERY_MS = 30_000;
/** How many times a process collects an export a transient failure cut short before it records it failed (five minutes of sweeps). */
export const CUT_SHORT_TIMES = 10;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
/**
 * Why an export failed, as the job shows it (and its event records it): a refusal says what
 * the client can act on; anything else (a database or disk error) points to the log, which
 * has the detail — internal text stays out of answers.
 */
const reasonShown = (id: string, error: unknown) =>
  error instanceof DomainError ? error.message : `the export could not be collected; the telemetry service's log says why (export ${id})`;

/**
 * Collects WAITING exports in the background and records each one's end. An export is
 * asked for more than once — a redelivered or retried start command is answered with its
 * first reply (WAITING) long after, every process resumes the exports it finds WAITING at
 * boot — so an export is collected only while it is still WAITING, by one process
 * (claimExport) and in it once (CollectionQueue), re-read once claimed: a finished export's
 * zip is never collected and written again.
 */
export class ExportCollector {
  private readonly log = new Logger('telescope');
  private readonly queue = new CollectionQueue(COLLECTING_AT_ONCE);
  /** Exports cut short by a transient failure, and how many times, in this process. */
  private readonly cutShort = new Map<string, number>();

  /** `retentionHours`: how long a completed export's zip is kept (expire-exports.ts). */
  constructor(private readonly db: Pool, private readonly sources: ExportSources, private readonly retentionHours: number) {}

  /** Collects the export unless it is already being collected; `context` is the start command's. */
  collect(id: string, context?: CommandContext): void {
    this.queue.add(id, () => this.collectClaimed(id, context));
  }

  /** The exports left WAITING by a process that stopped, in turn. */
  async resumeWaiting(): Promise<void> {
    for (const waiting of await waitingExports(this.db)) this.collect(waiting.id);
  }

  /**
   * Looks for WAITING exports now and every `everyMs` while the process runs: one whose
   * collection a failure cut short here (Postgres restarting under its claim or its finish),
   * or whose claim another session held (a process on a machine gone, until its session
   * ends), would otherwise wait until some telemetry process started again. Each time, too,
   * removes the zips past their retention.
   */
  async sweep(everyMs = SWEEP_EVERY_MS): Promise<void> {
    const expire = () => expireExports(this.db, this.retentionHours).catch((error: unknown) => this.log.warn(`could not remove expired exports: ${message(error)}`));
    // Said, and looked for again at the next sweep: Postgres restarting as telemetry starts
    // (this runs at its bootstrap) must not stop it from starting.
    const resume = () => this.resumeWaiting().catch((error: unknown) => this.log.warn(`could not look for waiting exports: ${message(error)}`));
    await resume();
    await expire();
    this.sweeper = setInterval(() => {
      void resume();
      void expire();
    }, everyMs);
    this.sweeper.unref();
  }

  /** Waits for the collections under way; queued ones stay WAITING for the next process. */
  close(): Promise<void> {
    clearInterval(this.sweeper);
    return this.queue.close();
  }

  private sweeper?: NodeJS.Timeout;

  private async collectClaimed(id: string, context: CommandContext | undefined): Promise<void> {
    try {
      const claim = await claimExport(this.db, id);
      if (!claim) return; // another telemetry process is collecting it
      try {
        const job = await findJob(this.db, 'export', id);
        if (job?.job_status === 'WAITING') await this.collectWaiting(job, context);
      } finally {
        await claim.release();
      }
    } catch (error) {
      // The database failed us before or after collecting: the export stays as recorded.
      this.log.error(`export ${id} not collected: ${message(error)}`);
    }
  }

  private async collectWaiting(job: TelemetryJob, context: CommandContext | undefined): Promise<void> {
    const { id } = job;
    const finish = (command: TelescopeCommand, suffix: string) => runTelescopeCommand(this.db, {
      commandId: `export-${id}:${suffix}`, correlationId: context?.correlationId ?? id, ...(context ? { causationId: context.commandId } : {}),
      actor: SERVICE_PRINCIPAL, issuedAt: new Date().toISOString(),
    }, 'telemetry.export.finish', EXPORT_STREAM(id), command);
    try {
      const zip = writeZip(id, await collect(this.sources, job.request as unknown as ExportRequest));
      await finish({ kind: 'complete-export', id, files: zip.sizes, zipFilePath: zip.path }, 'complete');
      this.cutShort.delete(id);
    } catch (error) {
      // Postgres away for now (the audit log unreadable, the completion unrecorded): the export
      // is cut short, not failed. It stays WAITING and a later sweep collects it again.
      // Not for ever: one cut short every time (a class-53 error, out of memory, reads as
      // transient too) is failed after CUT_SHORT_TIMES collections in this process.
      const times = (this.cutShort.get(id) ?? 0) + 1;
      if (isTransient(error) && times < CUT_SHORT_TIMES) {
        this.cutShort.set(id, times);
        this.log.warn(`export ${id} cut short, collected again later: ${message(error)}`);
        return;
      }
      this.cutShort.delete(id);
      this.log.error(`export ${id} failed: ${message(error)}`);
      await finish({ kind: 'fail-export', id, reason: reasonShown(id, error) }, 'fail').catch(() => undefined);
    }
  }
}
