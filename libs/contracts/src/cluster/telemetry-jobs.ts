import { z } from 'zod';
import { command, event, query, type EventDataOf } from '../define';
import { isoTime } from '../time';

/**
 * Telemetry export/import jobs and platform status (the document's obs/telescope and
 * platform-status endpoints), carried out by the telemetry service.
 */
export interface TelemetryJob {
  id: string;
  /** EXPIRED: a SUCCESS export whose zip was removed after the retention (SLIPWAY_EXPORT_RETENTION_HOURS). */
  job_status: 'WAITING' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'EXPIRED';
  request: Record<string, unknown>;
  result: Record<string, unknown>;
}

export const dataSource = z.enum(['LOGS', 'STATS', 'CONFIGS'], { message: 'must be one of LOGS, STATS, CONFIGS' });
const startExport = z.object({
  services: z.array(z.string().min(1).max(253)).min(1, 'list at least one service').max(1000),
  data_sources: z.array(dataSource).min(1, 'list at least one data source').refine((sources) => new Set(sources).size === sources.length, 'name each data source once'),
  start: isoTime('must be an ISO-8601 timestamp'),
  end: isoTime('must be an ISO-8601 timestamp'),
  label: z.string().min(1).max(200),
}).strict();
export const StartTelemetryExport = command<typeof startExport, TelemetryJob>('cmd.telemetry.start-export.v1', startExport);

/** An uploaded export, already unpacked and checked by the gateway's archive reader: its .json/.yaml files. */
const startImport = z.object({
  fileName: z.string().max(255),
  files: z.array(z.object({ path: z.string().min(1).max(1024), text: z.string() }).strict()).min(1).max(1000),
}).strict();
export const ImportTelemetry = command<typeof startImport, TelemetryJob>('cmd.telemetry.import.v1', startImport);

const jobKey = z.object({ id: z.string().min(1).max(200) }).strict();
export const TelemetryExportStatus = query<typeof jobKey, TelemetryJob>('qry.telemetry.export-status.v1', jobKey);
export const TelemetryImportStatus = query<typeof jobKey, TelemetryJob>('qry.telemetry.import-status.v1', jobKey);
export const TelemetryImportConfigs = query<typeof jobKey, Record<string, unknown>>('qry.telemetry.import-configs.v1', jobKey);

const none = z.object({}).strict();
export const PlatformStatus = query<typeof none, Record<string, unknown>>('qry.telemetry.platform-status.v1', none);

/** What an export was asked for: StartTelemetryExport's payload, its label suffixed with the request time. */
const exportRequest = z.object({ services: z.array(z.string()), data_sources: z.array(z.string()), start: z.string(), end: z.string(), label: z.string() });
export type ExportRequest = z.infer<typeof exportRequest>;
/**
 * What a completed export records of its files: each file's size in bytes by name (the
 * contents — pod logs among them — stay in the .zip, far too big for an event). Events
 * written before pod logs were collected carry the contents themselves; nothing reads them.
 */
export type TelescopeFiles = Record<string, unknown>;

export const TelemetryExportRequested = event('telemetry.export-requested.v1', z.object({ id: z.string(), request: exportRequest }));
export const TelemetryExportCompleted = event('telemetry.export-completed.v1', z.object({
  id: z.string(), zipFilePath: z.string(), files: z.record(z.string(), z.unknown()),
}));
export const TelemetryExportFailed = event('telemetry.export-failed.v1', z.object({ id: z.string(), reason: z.string() }));
/**
 * A completed export's zip was removed, `retentionHours` after the export was made (as
 * Nomad collects finished jobs and Argo CD its old history): pod logs and configs are not
 * kept on disk for ever.
 */
export const TelemetryExportExpired = event('telemetry.export-expired.v1', z.object({ id: z.string(), retentionHours: z.number().int().positive() }));
/** An import, recorded complete as it is uploaded: the archive's manifest and (redacted) configs. */
export const TelemetryImportCompleted = event('telemetry.import-completed.v1', z.object({
  id: z.string(), zipFilePath: z.string(), manifest: z.record(z.string(), z.unknown()), configs: z.record(z.string(), z.unknown()),
}));
export type TelescopeEvent =
  | { type: typeof TelemetryExportRequested.type; data: EventDataOf<typeof TelemetryExportRequested> }
  | { type: typeof TelemetryExportCompleted.type; data: EventDataOf<typeof TelemetryExportCompleted> }
  | { type: typeof TelemetryExportFailed.type; data: EventDataOf<typeof TelemetryExportFailed> }
  | { type: typeof TelemetryExportExpired.type; data: EventDataOf<typeof TelemetryExportExpired> }
  | { type: typeof TelemetryImportCompleted.type; data: EventDataOf<typeof TelemetryImportCompleted> };
