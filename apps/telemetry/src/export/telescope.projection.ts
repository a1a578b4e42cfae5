import { handlesTypes, type Projection } from '@slipway/event-log';
import { TelemetryExportCompleted, TelemetryExportFailed, TelemetryExportRequested, TelemetryImportCompleted, type TelemetryJob } from '@slipway/contracts';
import type { Pool, PoolClient } from 'pg';
import { telescopeDecider, type TelescopeEvent } from './telescope.decider';

const TYPES: readonly string[] = [TelemetryExportRequested, TelemetryExportCompleted, TelemetryExportFailed, TelemetryImportCompleted].map((contract) => contract.type);

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
      await tx.query(
        `INSERT INTO telescope_jobs (kind, id, job_status, request, result, configs) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, id) DO UPDATE SET job_status = EXCLUDED.job_status, request = EXCLUDED.request, result = EXCLUDED.result,
           configs = CASE WHEN $1 = 'import' THEN EXCLUDED.configs ELSE telescope_jobs.configs END`,
        [kind, state.job.id, state.job.job_status, JSON.stringify(state.job.request), JSON.stringify(state.job.result), JSON.stringify(configs)],
      );
    }
  },
};

export async function findJob(db: Pool, kind: 'export' | 'import', id: string): Promise<(TelemetryJob & { configs: Record<string, unknown> }) | undefined> {
  const { rows } = await db.query<TelemetryJob & { configs: Record<string, unknown> }>(
    'SELECT id, job_status, request, result, configs FROM telescope_jobs WHERE kind = $1 AND id = $2', [kind, id]);
  return rows[0];
}

/** Exports requested and not yet finished. */
export async function waitingExports(db: Pool): Promise<TelemetryJob[]> {
  const { rows } = await db.query<TelemetryJob>("SELECT id, job_status, request, result FROM telescope_jobs WHERE kind = 'export' AND job_status = 'WAITING' ORDER BY id");
  return rows;
}
