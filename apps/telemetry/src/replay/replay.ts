import { checkSnapshots, createPool, rebuildAndCompare, repairProjection, type AnyDecider, type Projection, type RebuildReport, type SnapshotCheck } from '@slipway/event-log';
import { baseConfigDecider } from '../../../config-store/src/base-configs/base-config.decider';
import { labelDecider } from '../../../config-store/src/labels/label.decider';
import { patchDecider } from '../../../config-store/src/patches/patch.decider';
import { configProjections } from '../../../config-store/src/service';
import { clusterDecider } from '../../../deployer/src/cluster/cluster.decider';
import { deployerProjections } from '../../../deployer/src/service';
import { targetDecider } from '../../../deployer/src/targets/target.decider';
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

/** Every decider that keeps snapshots of its streams' state. */
export const snapshotDeciders: AnyDecider[] = [targetDecider, clusterDecider, labelDecider, patchDecider, baseConfigDecider];

/** Checks every snapshot against a fold of its stream from the first event. */
export async function checkAllSnapshots(databaseUrl: string): Promise<SnapshotCheck> {
  const pool = createPool(databaseUrl, { max: 1 });
  try {
    return await checkSnapshots(pool, snapshotDeciders);
  } finally {
    await pool.end();
  }
}

/**
 * Rebuilds each projection from position 0 beside the live one and compares them; with
 * `repair`, a live projection that differs gets the rebuilt rows (rebuildLive), while the
 * services run, and a versioned one is recorded as built with this code's rules.
 */
export async function replayAll(databaseUrl: string, options: { repair?: boolean; downgrade?: boolean } = {}): Promise<Array<RebuildReport & { repaired?: boolean; lockedMs?: number }>> {
  const pool = createPool(databaseUrl, { max: 2 });
  try {
    const reports: Array<RebuildReport & { repaired?: boolean; lockedMs?: number }> = [];
    for (const { schema, projections } of allProjections) {
      for (const projection of projections) {
        reports.push(await (options.repair ? repairProjection(pool, schema, projection, { downgrade: options.downgrade }) : rebuildAndCompare(pool, schema, projection)));
      }
    }
    return reports;
  } finally {
    await pool.end();
  }
}
