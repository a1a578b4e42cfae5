import { createPool, rebuildAndCompare, type Projection, type RebuildReport } from '@slipway/event-log';
import { configProjections } from '../../../config-store/src/service';
import { deployerProjections } from '../../../deployer/src/service';
import { telescopeProjection } from '../export/telescope.projection';

/**
 * Every projection of every service, by the schema its live tables are in. Telemetry
 * owns the audit, so it is the one place that knows them all.
 */
export const allProjections: Array<{ schema: string; projections: Projection[] }> = [
  { schema: 'deployer', projections: deployerProjections },
  { schema: 'config', projections: configProjections },
  { schema: 'telemetry', projections: [telescopeProjection] },
];

/** Rebuilds each projection from position 0 beside the live one and compares them. */
export async function replayAll(databaseUrl: string): Promise<RebuildReport[]> {
  const pool = createPool(databaseUrl, { max: 2 });
  try {
    const reports: RebuildReport[] = [];
    for (const { schema, projections } of allProjections) {
      for (const projection of projections) reports.push(await rebuildAndCompare(pool, schema, projection));
    }
    return reports;
  } finally {
    await pool.end();
  }
}
