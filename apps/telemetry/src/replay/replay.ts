import {
  checkSnapshots, createPool, projectionCheckpoint, readerLag, rebuildAndCompare, repairProjection, STUCK_AFTER_MS, type AnyDecider, type Projection, type ReaderLag,
  type RebuildReport, type SnapshotCheck,
} from '@slipway/event-log';
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

export type ReplayReport = RebuildReport & {
  repaired?: boolean;
  lockedMs?: number;
  /** Why the projection could not be rebuilt or compared (an event its rules cannot apply, say): it is not equal. */
  failed?: string;
};

/**
 * Rebuilds each projection from position 0 beside the live one and compares them; with
 * `repair`, a live projection that differs gets the rebuilt rows (rebuildLive), while the
 * services run, and a versioned one is recorded as built with this code's rules. One that
 * fails is reported as failed, naming why, and the others are still rebuilt.
 */
export async function replayAll(databaseUrl: string, options: { repair?: boolean; downgrade?: boolean } = {}): Promise<ReplayReport[]> {
  const pool = createPool(databaseUrl, { max: 2 });
  try {
    // A database that cannot be reached is one failure, not one per projection.
    await pool.query('SELECT 1');
    const reports: ReplayReport[] = [];
    for (const { schema, projections } of allProjections) {
      for (const projection of projections) {
        reports.push(await (options.repair ? repairProjection(pool, schema, projection, { downgrade: options.downgrade }) : rebuildAndCompare(pool, schema, projection))
          .catch((error: unknown): ReplayReport => failedReport(projection, error)));
      }
    }
    return reports;
  } finally {
    await pool.end();
  }
}

function failedReport(projection: Projection, error: unknown): ReplayReport {
  return {
    projection: projection.name, events: 0, millis: 0, phases: { readMs: 0, applyMs: 0, compareMs: 0 }, differences: {}, equal: false,
    failed: error instanceof Error ? error.message : String(error),
  };
}

/**
 * The projections that follow the log (their own leader applies it) and have left an event
 * behind for longer than STUCK_AFTER_MS, their checkpoint unmoved as long: a replay compares
 * such a projection's rows with a rebuild up to its checkpoint, so it reads equal however
 * far behind the log it is (failing on an event, or its service stopped for days).
 */
export async function stuckProjections(databaseUrl: string, now = Date.now()): Promise<ReaderLag[]> {
  const following = allProjections.flatMap(({ projections }) => projections.filter((p) => p.followsLog));
  const pool = createPool(databaseUrl, { max: 1 });
  try {
    const lags = await readerLag(pool, following.map(projectionCheckpoint), STUCK_AFTER_MS, now);
    return lags.map((lag, i) => ({ ...lag, name: following[i]!.name })).filter((lag) => lag.stuck);
  } finally {
    await pool.end();
  }
}
