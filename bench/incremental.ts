import { BaseConfigsUploaded, LabelsBound, PatchesApplied, type EventDataOf, type StoredPatch } from '@slipway/contracts';
import { createPool, migrate, type RecordedEvent } from '@slipway/event-log';
import type { Pool, PoolClient } from 'pg';
import { benchDatabase } from './bench-database';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { configMigrations } from '../apps/config-store/src/migrations';
import { EVERY_OBJECT, type Affected } from '../apps/config-store/src/model/affected';
import { previewChange } from '../apps/config-store/src/model/config-command';
import { configProjection, configProjectionWith } from '../apps/config-store/src/model/config.projection';
import { reachedBy } from '../apps/config-store/src/model/objects-reached';
import { round } from './stats';

/**
 * Issue 4, incremental re-materialization: one patch that targets one object, written on
 * a store of 1,000 objects and 200 patches. A write's materialization work is the
 * command's preview (before and after the patch) and the projection's re-materialization;
 * both run in one transaction (rolled back, so every run starts from the same store),
 * once for every object (how writes worked before) and once for the objects the patch
 * reaches. Each variant runs once to warm up, then RUNS times; the median is reported.
 */
export interface IncrementalBenchResult {
  fullMs: number; incrementalMs: number; ratio: number; objects: number; patches: number;
  /** Objects the preview loaded and materialized, per variant. */
  loaded: { full: number; incremental: number };
  /** Both variants recorded the same new materialized versions. */
  equal: boolean;
}

interface WriteRun { ms: number; loaded: number; recorded: string }

const RUNS = 3;
const GROUP_SIZE = 50;

const kindOf = (i: number) => (i % 10 === 8 ? 'Service' : i % 10 === 9 ? 'ConfigMap' : 'Deployment');
const nameOf = (i: number) => `${kindOf(i).toLowerCase()}-${i}`;

function documentOf(i: number): EventDataOf<typeof BaseConfigsUploaded>['documents'][number] {
  const kind = kindOf(i);
  const name = nameOf(i);
  const metadata = { name, labels: { app: name } };
  const body = kind === 'Deployment'
    ? { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: `registry.example/app-${i}:1`, env: [{ name: 'MODE', value: 'base' }] }] } } } }
    : kind === 'Service' ? { apiVersion: 'v1', kind, metadata, spec: { ports: [{ name: 'http', port: 80 }] } }
      : { apiVersion: 'v1', kind, metadata, data: { mode: 'base' } };
  return { objectName: name, kind, apiVersion: body.apiVersion, config: stringify(body) };
}

/** By name (Deployments), by group label (Deployments, and ConfigMaps in RFC 6902), in turn: all fit. */
function patchOf(p: number, objects: number): StoredPatch {
  const version = p + 1;
  const group = `g${p % Math.max(1, Math.floor(objects / GROUP_SIZE))}`;
  switch (p % 3) {
    case 0: // every tenth object is a Deployment
      return { version, target: nameOf((p * 10) % objects), format: 'YAML', kind: 'Deployment', description: '',
        patch: stringify({ spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: `P${version}`, value: 'on' }] }] } } } }) };
    case 1:
      return { version, target: group, format: 'YAML', kind: 'Deployment', description: '', patch: stringify({ metadata: { annotations: { [`patch-${version}`]: 'on' } } }) };
    default:
      return { version, target: group, format: 'JSON', kind: 'ConfigMap', description: '',
        patch: JSON.stringify({ kind: 'ConfigMap', patch: [{ op: 'add', path: `/data/patch-${version}`, value: 'on' }] }) };
  }
}

let position = 0;
function recorded(type: string, data: unknown, commandId: string, occurredAt = new Date().toISOString()): RecordedEvent {
  position += 1;
  return { type, data, position, transactionId: '', eventId: '', streamId: 'bench', streamVersion: position,
    metadata: { commandId, correlationId: commandId, actor: 'bench', schemaVersion: 1, occurredAt } };
}

/** The measured write's time: its new materialized versions are the rows with this timestamp. */
const WRITTEN_AT = '2030-01-01T00:00:00.000Z';

async function seed(pool: Pool, objects: number, patches: number): Promise<void> {
  const tx = await pool.connect();
  try {
    const documents = Array.from({ length: objects }, (_, i) => documentOf(i));
    const pairs = documents.map((d, i) => ({ label: `g${Math.floor(i / GROUP_SIZE)}`, objectName: d.objectName }));
    await configProjection.apply(tx, [
      recorded(BaseConfigsUploaded.type, { releaseVersion: 'bench', documents, uploadedBy: 'bench', uploadedAt: new Date().toISOString() }, 'upload'),
      recorded(LabelsBound.type, { pairs, boundAt: new Date().toISOString() }, 'labels'),
      recorded(PatchesApplied.type, { patches: Array.from({ length: patches }, (_, p) => patchOf(p, objects)), createdBy: 'bench', createdAt: new Date().toISOString() }, 'patches'),
    ]);
  } finally {
    tx.release();
  }
}

/** One patch write's materialization work, scoped to `scope`'s objects, in a rolled-back transaction. */
async function timedWrite(pool: Pool, scope: (tx: PoolClient, target: string) => Promise<Affected>, patch: StoredPatch): Promise<WriteRun> {
  const projection = configProjectionWith(async (tx) => scope(tx, patch.target));
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const started = performance.now();
    const preview = await previewChange(tx, await scope(tx, patch.target), (m) => ({ ...m, patches: [...m.patches, patch] }), new Set([patch.version]));
    if (preview.misfit || preview.changed.length !== 1) throw new Error(`bench patch should change one object: ${JSON.stringify(preview)}`);
    await projection.apply(tx, [recorded(PatchesApplied.type, { patches: [patch], createdBy: 'bench', createdAt: WRITTEN_AT }, `write-${position}`, WRITTEN_AT)]);
    const ms = performance.now() - started;
    const { rows } = await tx.query('SELECT object_name, seq, patch_version, config FROM materialized_configs WHERE timestamp_ms = $1 ORDER BY object_name', [Date.parse(WRITTEN_AT)]);
    return { ms, loaded: preview.loaded, recorded: JSON.stringify(rows) };
  } finally {
    await tx.query('ROLLBACK');
    tx.release();
  }
}

async function medianOf(runs: number, run: () => Promise<WriteRun>): Promise<WriteRun> {
  await run();
  const results: WriteRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await run());
  results.sort((a, b) => a.ms - b.ms);
  return results[Math.floor(runs / 2)]!;
}

/** Runs in an empty database (the config store's tables are created in it). */
export async function incrementalBench(url: string, size: { objects?: number; patches?: number } = {}): Promise<IncrementalBenchResult> {
  const objects = size.objects ?? 1_000;
  const patches = size.patches ?? 200;
  await migrate(url, configMigrations);
  const pool = createPool(url, { schema: 'config', max: 2 });
  try {
    await seed(pool, objects, patches);
    const patch: StoredPatch = { version: patches + 1, target: nameOf(0), format: 'YAML', kind: 'Deployment', description: '', patch: stringify({ spec: { replicas: 5 } }) };
    const full = await medianOf(RUNS, () => timedWrite(pool, async () => EVERY_OBJECT, patch));
    const incremental = await medianOf(RUNS, () => timedWrite(pool, (tx, target) => reachedBy(tx, [target]), patch));
    return {
      fullMs: full.ms, incrementalMs: incremental.ms, ratio: incremental.ms / full.ms, objects, patches,
      loaded: { full: full.loaded, incremental: incremental.loaded }, equal: full.recorded === incremental.recorded && full.recorded !== '[]',
    };
  } finally {
    await pool.end();
  }
}

/** (f) issue #4: one patch write on 1,000 objects, re-materializing every object vs the ones it reaches. */
export async function incrementalPhase(serverUrl: string): Promise<void> {
  const r = await incrementalBench(await benchDatabase(serverUrl, 'incremental'));
  console.log(`(f) one patch write on ${r.objects} objects with ${r.patches} patches: full ${round(r.fullMs, 0)} ms (${r.loaded.full} objects), `
    + `incremental ${round(r.incrementalMs, 1)} ms (${r.loaded.incremental} object), ratio ${round(r.ratio, 3)}, same new versions: ${r.equal}`);
}
