import { Controller, Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, parseCommand, parseQuery } from '@slipway/bus';
import {
  DomainError, ImportTelemetry, StartTelemetryExport, TelemetryExportStatus, TelemetryImportConfigs, TelemetryImportStatus,
  dataSource, type CommandEnvelope, type QueryEnvelope, type TelemetryJob,
} from '@slipway/contracts';
import { handleCommand, type CommandContext } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { z } from 'zod';
import { TELEMETRY_CLUSTER, type TelemetryCluster } from '../cluster/telemetry-cluster';
import { PLATFORM_BUS, type PlatformBus } from '../platform-status/platform-status.handler';
import { collect, type ExportSources } from './collect';
import { configStoreLookup } from './config-store-lookup';
import { jobIdOf } from './job-id';
import { redact } from './redact';
import { writeZip } from './write-zip';
import { EXPORT_STREAM, IMPORT_STREAM, telescopeDecider, type ExportRequest, type TelescopeCommand } from './telescope.decider';
import { findJob, telescopeProjection, waitingExports } from './telescope.projection';

const manifestSchema = z.object({
  services: z.array(z.string()), data_sources: z.array(dataSource), start: z.string(), end: z.string(), label: z.string(),
});

const job = (db: Pool, context: CommandContext, subject: string, streamId: string, command: TelescopeCommand) =>
  handleCommand(db, context, {
    subject, streamId, decider: telescopeDecider, command: () => command, projections: [telescopeProjection],
    result: (after) => after.job as TelemetryJob,
  });

/** obs/telescope: export jobs (requested, then collected in the background) and imports. */
@Controller()
export class TelescopeHandlers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('telescope');
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    @Inject(DATABASE) private readonly db: Pool,
    @Inject(PLATFORM_BUS) private readonly platform: PlatformBus,
    @Inject(TELEMETRY_CLUSTER) private readonly cluster: TelemetryCluster,
  ) {}

  @MessagePattern(StartTelemetryExport.subject)
  async startExport(@Payload() envelope: CommandEnvelope) {
    const payload = parseCommand(StartTelemetryExport, envelope);
    const context = commandContext(envelope);
    const id = jobIdOf(context.commandId);
    // The document answers with the label made unique by the request time.
    const request: ExportRequest = { ...payload, label: `${payload.label}-${Date.parse(context.issuedAt)}` };
    const reply = await job(this.db, context, StartTelemetryExport.subject, EXPORT_STREAM(id), { kind: 'request-export', id, request });
    if (reply.ok && (reply.value as TelemetryJob).job_status === 'WAITING') this.background(reply.value as TelemetryJob, context);
    return reply;
  }

  /**
   * Exports still WAITING were being collected by a telemetry process that stopped: collect
   * them again. Finishing is keyed by the job, so a job finished twice (two processes
   * resuming it) is recorded once.
   */
  async onApplicationBootstrap() {
    for (const waiting of await waitingExports(this.db)) this.background(waiting);
  }

  private background(waiting: TelemetryJob, context?: CommandContext) {
    const id = waiting.id;
    const request = waiting.request as unknown as ExportRequest;
    const finish = (command: TelescopeCommand, suffix: string) => job(this.db, {
      commandId: `export-${id}:${suffix}`, correlationId: context?.correlationId ?? id, ...(context ? { causationId: context.commandId } : {}),
      actor: 'telemetry', issuedAt: new Date().toISOString(),
    }, 'telemetry.export.finish', EXPORT_STREAM(id), command);
    const work = (async () => {
      try {
        const sources: ExportSources = { sql: this.db, lookup: configStoreLookup(this.platform.commands), cluster: this.cluster.view };
        const zip = writeZip(id, await collect(sources, request));
        await finish({ kind: 'complete-export', id, files: zip.sizes, zipFilePath: zip.path }, 'complete');
      } catch (error) {
        this.log.error(`export ${id} failed: ${(error as Error).message}`);
        await finish({ kind: 'fail-export', id, reason: (error as Error).message }, 'fail').catch(() => undefined);
      }
    })();
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  async onApplicationShutdown() {
    await Promise.allSettled([...this.running]);
  }

  @MessagePattern(ImportTelemetry.subject)
  importExport(@Payload() envelope: CommandEnvelope) {
    const { fileName, files } = parseCommand(ImportTelemetry, envelope);
    const context = commandContext(envelope);
    const id = jobIdOf(context.commandId);
    const json = (name: string): unknown => {
      const file = files.find((f) => f.path.replace(/^(\.\/)?/, '').split('/').pop() === name);
      if (!file) return undefined;
      try {
        return JSON.parse(file.text);
      } catch {
        throw new DomainError('invalid', `file "${fileName}": ${name} is not JSON`, 'file');
      }
    };
    const manifest = manifestSchema.safeParse(json('manifest.json'));
    if (!manifest.success) throw new DomainError('invalid', `file "${fileName}": not a telescope export (no valid manifest.json)`, 'file');
    const configs = json('configs.json') ?? {};
    if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) throw new DomainError('invalid', `file "${fileName}": configs.json must be an object`, 'file');
    return job(this.db, context, ImportTelemetry.subject, IMPORT_STREAM(id), {
      kind: 'import', id, zipFilePath: fileName, manifest: manifest.data, configs: redact(configs) as Record<string, unknown>,
    });
  }

  @MessagePattern(TelemetryExportStatus.subject)
  async exportStatus(@Payload() envelope: QueryEnvelope): Promise<TelemetryJob> {
    const { id } = parseQuery(TelemetryExportStatus, envelope);
    const found = await findJob(this.db, 'export', id);
    if (!found) throw new DomainError('not-found', `export "${id}" not found`);
    const { configs: _c, ...view } = found;
    return view;
  }

  @MessagePattern(TelemetryImportStatus.subject)
  async importStatus(@Payload() envelope: QueryEnvelope): Promise<TelemetryJob> {
    const { id } = parseQuery(TelemetryImportStatus, envelope);
    const found = await findJob(this.db, 'import', id);
    if (!found) throw new DomainError('not-found', `import "${id}" not found`);
    const { configs: _c, ...view } = found;
    return view;
  }

  @MessagePattern(TelemetryImportConfigs.subject)
  async importConfigs(@Payload() envelope: QueryEnvelope): Promise<Record<string, unknown>> {
    const { id } = parseQuery(TelemetryImportConfigs, envelope);
    const found = await findJob(this.db, 'import', id);
    if (!found) throw new DomainError('not-found', `import "${id}" not found`);
    return found.configs;
  }
}
