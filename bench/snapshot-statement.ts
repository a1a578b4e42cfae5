import { escapeLiteral } from 'pg';
import { createPool, writeSnapshotStatement } from '@slipway/event-log';
import { clusterDecider, type ClusterState } from '../apps/deployer/src/cluster/cluster.decider';

/** A namespace's cluster state holding `objects` applied ConfigMaps of ~`kib` KiB each (quotes and backslashes in their data). */
function largeClusterState(objects: number, kib: number): ClusterState {
  const golden: ClusterState['golden'] = {};
  for (let i = 0; i < objects; i++) {
    const data: Record<string, string> = {};
    for (let k = 0; k < kib * 5; k++) data[`key-${k}`] = `value ${i} ${k} it's "quoted" \\ `.repeat(5);
    const objectName = `cm-${i}`;
    golden[objectName] = { objectName, releaseVersion: 'r1', patchVersion: null, manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: objectName, namespace: 'bench' }, data } };
  }
  return { ...clusterDecider.initialState(), golden };
}

/**
 * (g) What writing the snapshot of a large namespace holds the deployer's event loop for: the
 * statement built (the state as JSON, quoted as a literal), against JSON.stringify of the
 * state alone (the baseline), and against quoting it as pg's escapeLiteral does (what the
 * statement used before 2026-12-07); and the write, the statement built and run on the
 * database at `url` (migrated). Milliseconds, the best of `rounds`.
 */
export async function snapshotStatementBench(url: string, rounds = 3, objects = 200, kib = 110): Promise<SnapshotStatementResult> {
  const state = largeClusterState(objects, kib);
  const policy = clusterDecider.snapshots!;
  const best = async (run: () => unknown) => {
    let fastest = Infinity;
    for (let r = 0; r < rounds; r++) {
      const start = process.hrtime.bigint();
      await run();
      fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e6);
    }
    return fastest;
  };
  const statement = (version: number) => writeSnapshotStatement(policy, 'cluster-bench-large', { state, version });
  const pool = createPool(url, { max: 1 });
  let version = 0;
  try {
    return {
      mib: Buffer.byteLength(JSON.stringify(state)) / 1024 / 1024,
      stringifyMs: await best(() => JSON.stringify(state)),
      statementMs: await best(() => statement(1)),
      pgQuotingMs: await best(() => escapeLiteral(JSON.stringify(state))),
      writeMs: await best(() => pool.query(statement(version += 256))),
    };
  } finally {
    await pool.end();
  }
}

export interface SnapshotStatementResult { mib: number; stringifyMs: number; statementMs: number; pgQuotingMs: number; writeMs: number }
