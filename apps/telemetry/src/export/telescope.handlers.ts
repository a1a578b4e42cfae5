import { Controller, Inject, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandContext, ERASED_AFTER_HANDLING, parseCommand, parseQuery } from '@slipway/bus';
import {
  DomainError, ImportTelemetry, quoted, StartTelemetryExport, TelemetryExportStatus, TelemetryImportConfigs, TelemetryImportStatus,
  redactSecrets, refuseUnstorable, type CommandEnvelope, type QueryEnvelope, type TelemetryJob,
} from '@slipway/contracts';
import { DATABASE, type TelemetrySettings } from '@slipway/runtime';
import type { Pool } from 'pg';
import { z } from 'zod';
import { TELEMETRY_CLUSTER, type TelemetryCluster } from '../cluster/telemetry-cluster';
import { PLATFORM_BUS, type PlatformBus } from '../platform-status/platform-status.handler';
import { configStoreLookup } from './config-store-lookup';
import { ExportCollector } from './export-collector';
import { jobIdOf } from './job-id';
import { importedConfigsShown } from './imported-patches';
import { runTelescopeCommand } from './telescope-command';
import { EXPORT_STREAM, IMPORT_STREAM, type ExportRequest } from './telescope.decider';
import { findJob } from './telescope.projection';

/** How deep an imported manifest.json or configs.json may nest (an export's nest a few levels). */
const IMPORTED_MAX_DEPTH = 128;

/** An export's manifest is its request (plus what it collected): held to the request's own bounds. */
const manifestSchema = z.object(StartTelemetryExport.schema.shape).extend({
  // The label as the export wrote it: the one asked for, suffixed with `-<request time in ms>`.
  label: z.string().min(1).max(StartTelemetryExport.schema.shape.label.maxLength! + '-'.length + String(Date.UTC(9999, 0)).length),
});

/** Telemetry's own settings (libs/runtime/src/settings.ts), as Nest injects them. */
export const TELEMETRY_SETTINGS = Symbol('TELEMETRY_SETTINGS');

/** obs/telescope: export jobs (requested, then collected in the background) and imports. */
@Controller()
export class TelescopeHandlers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly collector: ExportCollector;

  constructor(
    @Inject(DATABASE) private readonly db: Pool,
    @Inject(PLATFORM_BUS) platform: PlatformBus,
    @Inject(TELEMETRY_CLUSTER) cluster: TelemetryCluster,
    @Inject(TELEMETRY_SETTINGS) settings: TelemetrySettings,
  ) {
    this.collector = new ExportCollector(db, { sql: db, lookup: configStoreLookup(platform.commands), cluster: cluster.view }, settings.exportRetentionHours);
  }

  @MessagePattern(StartTelemetryExport.subject)
  async startExport(@Payload() envelope: CommandEnvelope) {
    const payload = parseCommand(StartTelemetryExport, envelope);
    const context = commandContext(envelope);
    const id = jobIdOf(context.commandId);
    // The document answers with the label made unique by the request time. What reads as a
    // secret (a URL's password in the label) is kept `[redacted]`: the request is recorded in
    // the log and written into the export's manifest.
    const shown = redactSecrets(payload) as typeof payload;
    const request: ExportRequest = { ...shown, label: `${shown.label}-${Date.parse(context.issuedAt)}` };
    const reply = await runTelescopeCommand(this.db, context, StartTelemetryExport.subject, EXPORT_STREAM(id), { kind: 'request-export', id, request });
    // A redelivered or retried command gets its first reply, WAITING even when the export
    // has finished since: the collector re-reads the job before collecting anything.
    if (reply.ok && (reply.value as TelemetryJob).job_status === 'WAITING') this.collector.collect(id, context);
    return reply;
  }

  /** Exports still WAITING were being collected by a telemetry process that stopped: collect them, in turn, and look again every 30 s. */
  async onApplicationBootstrap() {
    await this.collector.sweep();
  }

  async onApplicationShutdown() {
    await this.collector.close();
  }

  // The archive's files (configs with their secrets, logs) are in the command: erased once handled.
  @MessagePattern(ImportTelemetry.subject, ERASED_AFTER_HANDLING)
  async importExport(@Payload() envelope: CommandEnvelope) {
    const { fileName, files } = parseCommand(ImportTelemetry, envelope);
    const context = commandContext(envelope);
    const id = jobIdOf(context.commandId);
    // As a refusal names it: what reads as a secret in it hidden (the refusal is the command's recorded outcome).
    const shown = quoted(fileName);
    const json = (name: string): unknown => {
      const found = files.filter((f) => f.path.replace(/^(\.\/)?/, '').split('/').pop() === name);
      // Two exports zipped together: which one is meant (or a mix of both) cannot be told.
      if (found.length > 1) throw new DomainError('invalid', `file ${shown}: holds ${found.length} ${name} files (${found.map((f) => quoted(f.path)).join(', ')}): import one export at a time`, 'file');
      const [file] = found;
      if (!file) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(file.text);
      } catch {
        throw new DomainError('invalid', `file ${shown}: ${name} is not JSON`, 'file');
      }
      // What the job's row could not store, or its redaction not walk, is the file's fault.
      refuseUnstorable(parsed, IMPORTED_MAX_DEPTH, `file ${shown}: ${name}`, 'file');
      return parsed;
    };
    const read = json('manifest.json');
    if (read === undefined) throw new DomainError('invalid', `file ${shown}: not a telescope export (no valid manifest.json)`, 'file');
    const manifest = manifestSchema.safeParse(read);
    if (!manifest.success) {
      const issue = manifest.error.issues[0]!;
      const at = issue.path.map(String).join('.');
      throw new DomainError('invalid', `file ${shown}: not a telescope export (no valid manifest.json: ${at ? `${at}: ` : ''}${issue.message})`, 'file');
    }
    const configs = json('configs.json') ?? {};
    if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) throw new DomainError('invalid', `file ${shown}: configs.json must be an object`, 'file');
    // The file's name is recorded as the job's zip_file_path: kept `[redacted]` where it reads as a secret, as an export's label is.
    return runTelescopeCommand(this.db, context, ImportTelemetry.subject, IMPORT_STREAM(id), {
      kind: 'import', id, zipFilePath: redactSecrets(fileName) as string, manifest: redactSecrets(manifest.data) as typeof manifest.data, configs: await importedConfigsShown(configs as Record<string, unknown>),
    });
  }

  @MessagePattern(TelemetryExportStatus.subject)
  async exportStatus(@Payload() envelope: QueryEnvelope): Promise<TelemetryJob> {
    const { id } = parseQuery(TelemetryExportStatus, envelope);
    const found = await findJob(this.db, 'export', id);
    if (!found) throw new DomainError('not-found', `export ${quoted(id)} not found`);
    return shownJob(found);
  }

  @MessagePattern(TelemetryImportStatus.subject)
  async importStatus(@Payload() envelope: QueryEnvelope): Promise<TelemetryJob> {
    const { id } = parseQuery(TelemetryImportStatus, envelope);
    const found = await findJob(this.db, 'import', id);
    if (!found) throw new DomainError('not-found', `import ${quoted(id)} not found`);
    return shownJob(found);
  }

  @MessagePattern(TelemetryImportConfigs.subject)
  async importConfigs(@Payload() envelope: QueryEnvelope): Promise<Record<string, unknown>> {
    const { id } = parseQuery(TelemetryImportConfigs, envelope);
    const found = await findJob(this.db, 'import', id);
    if (!found) throw new DomainError('not-found', `import ${quoted(id)} not found`);
    // Redacted again on every read, as a job's request and result are: an import recorded
    // before today's rules may hold what they hide.
    return importedConfigsShown(found.configs as Record<string, unknown>);
  }
}

/**
 * A job as its status answers it: without its configs, and with what reads as a secret in its
 * request and result `[redacted]` (jobs recorded before requests were kept so may hold one).
 */
function shownJob({ configs: _c, ...job }: TelemetryJob & { configs?: unknown }): TelemetryJob {
  return { ...job, request: redactSecrets(job.request) as Record<string, unknown>, result: redactSecrets(job.result) as Record<string, unknown> };
}
