import { SERVICE_PRINCIPAL } from '@slipway/contracts';
import type { Pool } from 'pg';
import { runTelescopeCommand } from './telescope-command';
import { EXPORT_STREAM } from './telescope.decider';
import { exportsFinishedBefore, knownExports } from './telescope.projection';
import { removeZipsWrittenBefore } from './write-zip';

const HOUR_MS = 3_600_000;
/** Exports recorded EXPIRED per sweep: a backlog (a retention shortened) goes over a few sweeps. */
const EXPIRED_PER_SWEEP = 500;

/**
 * Exports are kept `retentionHours` after they are made: their zips (pod logs, configs) are
 * then removed from this process's disk, and the exports completed before that are recorded
 * EXPIRED. Removed first, then recorded: a process stopped in between finds the export still
 * completed and records it the next time. Returns the exports recorded expired.
 */
export async function expireExports(db: Pool, retentionHours: number, now = new Date(), root?: string): Promise<string[]> {
  const cutoff = new Date(now.getTime() - retentionHours * HOUR_MS);
  await removeZipsWrittenBefore(cutoff, (ids) => knownExports(db, ids), root);
  const expired = await exportsFinishedBefore(db, cutoff, EXPIRED_PER_SWEEP);
  for (const id of expired) {
    await runTelescopeCommand(db, { commandId: `export-${id}:expire`, correlationId: id, actor: SERVICE_PRINCIPAL, issuedAt: now.toISOString() },
      'telemetry.export.expire', EXPORT_STREAM(id), { kind: 'expire-export', id, retentionHours });
  }
  return expired;
}
