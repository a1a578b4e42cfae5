import { handlesTypes, type Projection } from '@slipway/event-log';
import { TelemetryExportCompleted, TelemetryExportExpired, TelemetryExportFailed, TelemetryExportRequested, TelemetryImportCompleted, type TelemetryJob } from '@slipway/contracts';
import type { Pool, PoolClient } from 'pg';
import { telescopeDecider, type TelescopeEvent } from './telescope.decider';

const TYPES: readonly string[] = [TelemetryExportRequested, TelemetryExportCompleted, TelemetryExportFailed, TelemetryExportExpired, TelemetryImportCompleted].map((contract) => contract.type);

/**
 * Each event folded into its job's row (read, evolve, write: the decider's own shape). The
 * row is read FOR UPDATE: a repair of this projection (`npm run replay -- --repair`) locks
 * the table against writes while it swaps the rows, and a plain read meanwhile would fold
 * the event onto the row the repair is replacing, then write it over the repaired one.
 */
export const telescopeProjection: Projection = {
  name: 'telemetry_telescope_jobs',
  tables: ['telescope_jobs'],
  handles: handlesTypes(TYPES),
  async apply(tx: PoolClient, events) {
    for (const recorded of events) {
      if (!TYPES.includes(recorded.type)) continue;
      const event = recorded as unknown as TelescopeEvent;
      const kind = event.type === TelemetryImportCompleted.type ? 'import' : 'export';
      const { rows } = await tx.query<TelemetryJob>('SELECT id, job_status, request, result FROM telescope_jobs WHERE kind = $1 AND id = $2 FOR UPDATE', [kind, event.data.id]);
      const state = telescopeDecider.evolve(rows[0] ? { kind, job: rows[0] } : {}, event);
      if (!state.job) continue;
      const configs = event.type === TelemetryImportCompleted.type ? event.data.configs : {};
      const finishedAt = event.type === TelemetryExportCompleted.type ? recorded.metadata.occurredAt : null;
      await tx.query(
        `INSERT INTO telescope_jobs (kind, id, job_status, request, result, configs, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (kind, id) DO UPDATE SET job_status = EXCLUDED.job_status, request = EXCLUDED.request, result = EXCLUDED.result,
           configs = CASE WHEN $1 = 'import' THEN EXCLUDED.configs ELSE telescope_jobs.configs END,
           finished_at = COALESCE(EXCLUDED.finished_at, telescope_jobs.finished_at)`,
        [kind, state.job.id, state.job.job_status, JSON.stringify(state.job.request), JSON.stringify(state.job.result), JSON.stringify(configs), finishedAt],
      );
    }
  },
};

export async function findJob(db: Pool, kind: 'export' | 'import', id: string): Promise<(TelemetryJob & { configs: Record<string, unknown> }) | undefined> {
  const { rows } = await db.query<TelemetryJob & { configs: Record<string, unknown> }>(
    'SELECT id, job_status, request, result, configs FROM telescope_jobs WHERE kind = $1 AND id = $2', [kind, id]);
  return rows[0];
}

/** Exports completed before `cutoff` whose zip is still kept: the oldest first, at most `limit`. */
export async function exportsFinishedBefore(db: Pool, cutoff: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM telescope_jobs WHERE kind = 'export' AND job_status = 'SUCCESS' AND finished_at < $1 ORDER BY finished_at LIMIT $2", [cutoff, limit]);
  return rows.map((row) => row.id);
}

/** Which of these ids are exports this installation recorded. */
export async function knownExports(db: Pool, ids: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM telescope_jobs WHERE kind = 'export' AND id = ANY($1::text[])", [ids]);
  return new Set(rows.map((row) => row.id));
}

/** Exports requested and not yet finished. */
export async function waitingExports(db: Pool): Promise<TelemetryJob[]> {
  const { rows } = await db.query<TelemetryJob>("SELECT id, job_status, request, result FROM telescope_jobs WHERE kind = 'export' AND job_status = 'WAITING' ORDER BY id");
  return rows;
}
