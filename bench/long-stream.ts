import { ConfigApplied } from '@slipway/contracts';
import { createPool, handleCommand, migrate, type StreamCommand } from '@slipway/event-log';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { insertEventsFrom } from './synthetic-log';
import { clusterDecider, type ClusterCommand, type ClusterState } from '../apps/deployer/src/cluster/cluster.decider';
import type { ClusterEvent } from '@slipway/contracts';

/**
 * What one command costs on a long stream: a namespace's cluster stream after HISTORY
 * pushes, with the cluster decider as it is (snapshots) and without snapshots (every
 * command reads and folds the whole stream), against the same command on a new stream.
 * The three run in turn, one command each, ROUNDS times, so drift hits them alike.
 */
export interface LongStreamResult { history: number; freshMs: number; snapshotsMs: number; wholeMs: number }

const HISTORY = 2_000;
const ROUNDS = 150;
const OBJECTS = 40;

const manifest = (name: string, round: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name, round: String(round) } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: `registry.example/${name}:${round}`, env: [{ name: 'MODE', value: 'bench' }] }] } } },
});

function push(streamId: string, round: number, decider = clusterDecider): StreamCommand<ClusterState, ClusterCommand, ClusterEvent, null> {
  const objectName = `app-${round % OBJECTS}`;
  return {
    subject: 'cmd.bench.push.v1', streamId, decider, result: () => null,
    command: () => ({ kind: 'record-applied', now: '2026-12-02T00:00:00.000Z', applied: [{ objectName, releaseVersion: '1.0', patchVersion: null, manifest: manifest(objectName, round) }] }),
  };
}

async function appendHistory(pool: Pool, streamId: string): Promise<void> {
  const meta = JSON.stringify({ commandId: 'bench', correlationId: 'bench', actor: 'bench', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z' });
  await pool.query(
    insertEventsFrom(`SELECT gen_random_uuid(), $1, v, $2,
       jsonb_build_object('objectName', 'app-' || (v % $5), 'releaseVersion', '1.0', 'patchVersion', NULL, 'appliedAt', '2026-01-01T00:00:00.000Z',
         'manifest', $3::jsonb || jsonb_build_object('metadata', jsonb_build_object('name', 'app-' || (v % $5)))), $4::jsonb
     FROM generate_series(1, $6::int) AS v`),
    [streamId, ConfigApplied.type, JSON.stringify(manifest('app', 0)), meta, OBJECTS, HISTORY],
  );
}

export async function longStreamBench(url: string): Promise<LongStreamResult> {
  await migrate(url);
  const pool = createPool(url, { max: 2 });
  try {
    await appendHistory(pool, 'cluster-bench-snapshots');
    await appendHistory(pool, 'cluster-bench-whole');
    const whole = { ...clusterDecider, snapshots: undefined };
    const variants = [
      (round: number) => push(`cluster-bench-fresh-${round}`, round),
      (round: number) => push('cluster-bench-snapshots', round),
      (round: number) => push('cluster-bench-whole', round, whole),
    ];
    const spent = [0, 0, 0];
    let commands = 0;
    // Round 0 warms up (and keeps the first snapshot of the long stream); it is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [i, variant] of variants.entries()) {
        const started = performance.now();
        const reply = await handleCommand(pool, { commandId: `bench-${i}-${round}`, correlationId: 'bench', actor: 'bench', issuedAt: '2026-12-02T00:00:00.000Z' }, variant(round));
        if (!reply.ok) throw new Error(`bench command refused: ${JSON.stringify(reply.error)}`);
        if (round > 0) spent[i]! += performance.now() - started;
      }
      if (round > 0) commands++;
    }
    return { history: HISTORY, freshMs: spent[0]! / commands, snapshotsMs: spent[1]! / commands, wholeMs: spent[2]! / commands };
  } finally {
    await pool.end();
  }
}
