import {
  DomainError, quoted, TelemetryExportCompleted, TelemetryExportExpired, TelemetryExportFailed, TelemetryExportRequested, TelemetryImportCompleted,
  type ExportRequest, type TelemetryJob, type TelescopeEvent, type TelescopeFiles,
} from '@slipway/contracts';
import type { Decider } from '@slipway/event-log';

/**
 * Telescope jobs (obs/telescope): an export is requested (WAITING), then completed with
 * the collected files (SUCCESS) or failed; a completed one's zip is removed after the
 * retention (EXPIRED); an import is recorded complete on upload.
 * One stream per job; ids, times and collected data come in the command.
 */
export type { ExportRequest, TelescopeEvent, TelescopeFiles };

export type TelescopeCommand =
  | { kind: 'request-export'; id: string; request: ExportRequest }
  | { kind: 'complete-export'; id: string; zipFilePath: string; files: TelescopeFiles }
  | { kind: 'fail-export'; id: string; reason: string }
  | { kind: 'expire-export'; id: string; retentionHours: number }
  | { kind: 'import'; id: string; zipFilePath: string; manifest: ExportRequest; configs: Record<string, unknown> };

export interface TelescopeState { job?: TelemetryJob; kind?: 'export' | 'import' }

export const EXPORT_STREAM = (id: string) => `telescope-export-${id}`;
export const IMPORT_STREAM = (id: string) => `telescope-import-${id}`;

const expiredReason = (hours: number) =>
  `the export's zip was removed ${hours} hours after it was made (SLIPWAY_EXPORT_RETENTION_HOURS): request the export again`;

export const telescopeDecider: Decider<TelescopeState, TelescopeCommand, TelescopeEvent> = {
  initialState: () => ({}),
  evolve(state, event) {
    switch (event.type) {
      case TelemetryExportRequested.type:
        return { kind: 'export', job: { id: event.data.id, job_status: 'WAITING', request: { ...event.data.request }, result: { zip_file_path: '' } } };
      case TelemetryExportCompleted.type:
        return state.job ? { ...state, job: { ...state.job, job_status: 'SUCCESS', result: { zip_file_path: event.data.zipFilePath } } } : state;
      case TelemetryExportFailed.type:
        return state.job ? { ...state, job: { ...state.job, job_status: 'FAILED', result: { zip_file_path: '', error: event.data.reason } } } : state;
      case TelemetryExportExpired.type:
        return state.job ? { ...state, job: { ...state.job, job_status: 'EXPIRED', result: { zip_file_path: '', error: expiredReason(event.data.retentionHours) } } } : state;
      case TelemetryImportCompleted.type:
        return { kind: 'import', job: { id: event.data.id, job_status: 'SUCCESS', request: { zip_file_path: event.data.zipFilePath }, result: { ...event.data.manifest } } };
    }
  },
  decide(command, state) {
    switch (command.kind) {
      case 'request-export': {
        if (state.job) return [];
        const { start, end } = command.request;
        // [start, end): equal, the export would cover nothing.
        if (Date.parse(start) >= Date.parse(end)) throw new DomainError('invalid', 'start must be before end: an export covers [start, end)', 'start');
        return [{ type: TelemetryExportRequested.type, data: { id: command.id, request: command.request } }];
      }
      case 'complete-export':
      case 'fail-export': {
        if (!state.job || state.kind !== 'export') throw new DomainError('not-found', `export ${quoted(command.id)} not found`);
        if (state.job.job_status !== 'WAITING') return [];
        return command.kind === 'complete-export'
          ? [{ type: TelemetryExportCompleted.type, data: { id: command.id, zipFilePath: command.zipFilePath, files: command.files } }]
          : [{ type: TelemetryExportFailed.type, data: { id: command.id, reason: command.reason } }];
      }
      case 'expire-export':
        if (state.kind !== 'export' || state.job?.job_status !== 'SUCCESS') return [];
        return [{ type: TelemetryExportExpired.type, data: { id: command.id, retentionHours: command.retentionHours } }];
      case 'import':
        if (state.job) return [];
        return [{ type: TelemetryImportCompleted.type, data: { id: command.id, zipFilePath: command.zipFilePath, manifest: command.manifest, configs: command.configs } }];
    }
  },
};
