import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPool, inTransaction, readLog, rebuildAndCompare, rebuildLive, START, checkpointOf } from '@slipway/event-log';
import { freePort, kubeTestenvStopCommand, natsStopCommand, postgresStopCommand, Reaper, spawnApps, startKubeTestenv, startNats, startPostgres, stopProcess } from '@slipway/local-stack';
import { targetsProjection } from '../apps/deployer/src/targets/targets.projection';
import { cpuPerUnit, cpuSnapshot } from './cpu-usage';
import { fastifyFloor, insertFloor } from './floors';
import { busFloor } from './bus-floor';
import { shardedBusFloor } from './sharded-bus';
import { auditReadBench } from './audit-read';
import { trafficPerUnit, trafficSnapshot, type Traffic } from './traffic';
import { kubeApplyBench } from './kube-apply';
import { pushBench } from './push';
import { longListBench, materializeBench } from './materialize';
import { incrementalPhase } from './incremental';
import { sealingBench } from './sealing';
import { hostileFlagTextBench, patchRedactionBench } from './patch-event-redaction';
import { loopHeldBench, yamlBodiesBench } from './yaml-bodies';
import { readerRedactionBench } from './reader-redaction';
import { commandReadingBench } from './codec';
import { longStreamBench } from './long-stream';
import { longNamespaceBench } from './long-namespace';
import { snapshotStatementBench } from './snapshot-statement';
import { closedLoop, openLoop, type HttpCall, type LoadResult } from './http-load';
import { percentile, round } from './stats';
import { appendSyntheticTargets } from './synthetic-log';
import { settle } from './settle';
import { benchDatabase } from './bench-database';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
/** BENCH_SKIP=gateway or BENCH_SKIP=replay to run part of the bench while working on the other. */
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(','));

const targetDocument = (name: string, round: number) => JSON.stringify({
  kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name, labels: { round: String(round) } }, spec: { kubernetes: { namespace: 'bench' } },
});

/** Per worker: create a target (POST), then relabel it (PUT), then the next one. */
function workerCalls(token: string, run: string): (worker: number, n: number) => HttpCall {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const path = `/api/v1/namespaces/${run}/deployment-targets`;
  return (worker, n) => {
    const name = `w${worker}-t${Math.floor(n / 2)}`;
    return n % 2 === 0 ? { method: 'POST', path, body: targetDocument(name, 0), headers } : { method: 'PUT', path: `${path}/${name}`, body: targetDocument(name, 1), headers };
  };
}

/** On a schedule: even requests create, odd ones relabel a target created 100 requests earlier. */
function scheduledCalls(token: string, run: string): (i: number) => HttpCall {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const path = `/api/v1/namespaces/${run}/deployment-targets`;
  return (i) => {
    if (i % 2 === 0 || i < 101) return { method: 'POST', path, body: targetDocument(`t${i}`, 0), headers };
    const name = `t${i - 101}`;
    return { method: 'PUT', path: `${path}/${name}`, body: targetDocument(name, i), headers };
  };
}

function describe(result: LoadResult): string {
  return `${round(result.perSecond, 0)}/s, p50 ${round(percentile(result.latenciesMs, 50))} ms, p99 ${round(percentile(result.latenciesMs, 99))} ms, statuses ${JSON.stringify(result.statuses)}`;
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  chmodSync(dir, 0o755);
  // Killed before the end (Ctrl-C, SIGKILL, a closed pipe), the bench leaves nothing running.
  const reaper = Reaper.start(dir, { removeDir: process.env.BENCH_KEEP_STATE !== '1' });
  reaper.add(postgresStopCommand(join(dir, 'pg', 'data')));
  reaper.add(natsStopCommand(join(dir, 'nats')));
  reaper.add(kubeTestenvStopCommand(root, join(dir, 'kube')));
  const pg = await startPostgres({ dataDir: join(dir, 'pg', 'data'), durable: true });
  const natsMonitor = await freePort();
  const nats = await startNats({ storeDir: join(dir, 'nats'), syncAlways: process.env.BENCH_NATS_SYNC !== 'off', monitorPort: natsMonitor });

  const children: ChildProcess[] = [];
  try {
    const databases = { floor: await benchDatabase(pg.url, 'floor'), slipway: await benchDatabase(pg.url, 'slipway') };
    console.log(`Slipway benchmark: ${SECONDS} s per phase, ${RATE} cmds/s offered for latency (same Postgres and NATS settings as npm start)`);

    const inserts = await insertFloor(databases.floor, SECONDS);
    console.log(`(a) floor: single-row inserts, 32 connections: ${round(inserts, 0)}/s`);
    const hello = await fastifyFloor(SECONDS, 64);
    console.log(`(a) floor: bare Fastify hello-world, 64 connections: ${round(hello, 0)}/s`);
    const busOnly = await busFloor(nats.url, databases.floor, SECONDS, 'bus-only');
    console.log(`(a) floor: the bus alone (commands to a JetStream work queue, a consumer process acking and replying), 64 senders: ${round(busOnly, 0)}/s = ${round(busOnly / inserts)} x inserts`);
    const bus = await busFloor(nats.url, databases.floor, SECONDS, 'commit');
    console.log(`(a) floor: the command path's architecture alone (the same, the consumer committing each delivery to Postgres before acking), 64 senders: ${round(bus, 0)}/s = ${round(bus / inserts)} x inserts`);
    if (!SKIP.has('shards')) {
      // One publish at a time per sender in both (a batch is one stream's): the 1-stream figure is the baseline.
      const one = await shardedBusFloor(nats.url, SECONDS, 1);
      const four = await shardedBusFloor(nats.url, SECONDS, 4);
      console.log(`(a) the bus alone, one publish per command, 1 work-queue stream: ${round(one, 0)}/s = ${round(one / inserts)} x inserts; over 4 streams: ${round(four, 0)}/s = ${round(four / inserts)} x inserts (${round(four / one)} x one stream)`);
    }

    const token = randomBytes(24).toString('base64url');
    const port = await freePort();
    const env = { ...process.env, DATABASE_URL: databases.slipway, NATS_URL: nats.url, SLIPWAY_ADMIN_TOKEN: token, SLIPWAY_PORT: String(port), SLIPWAY_HOST: '127.0.0.1' };
    const url = await spawnApps(root, env, dir, children, (app, code) => { if (code) console.error(`${app} exited ${code}`); });
    for (const child of children) reaper.add(`kill ${child.pid}`);
    await closedLoop(url, 16, 2, workerCalls(token, 'warmup'));
    if (!SKIP.has('gateway')) {
      await gatewayPhases(url, token, { inserts, hello, bus, again: () => insertFloor(databases.floor, SECONDS) }, databases.slipway,
        () => trafficSnapshot(databases.slipway, `http://127.0.0.1:${natsMonitor}`));
    }
    if (!SKIP.has('wide')) {
      // After (b) the apps may still be working off its open loop's backlog: not to be counted as the lists'.
      await settle(databases.slipway);
      await longNamespacePhase(url, token, databases.slipway);
    }
    // The apps may still be working off a backlog of the open-loop phase: stop them, so
    // the phases below do not share the cores with it.
    for (const child of children.splice(0).reverse()) await stopProcess(child);
    if (!SKIP.has('replay')) await replayPhase(databases.slipway, inserts);
    if (!SKIP.has('history')) await longStreamPhase(pg.url);
    if (!SKIP.has('audit')) await auditPhase(pg.url);
    if (!SKIP.has('kube') || !SKIP.has('push')) await kubePhases(root, join(dir, 'kube'), { postgres: pg.url, nats: nats.url }, dir);
    if (!SKIP.has('materialize')) await materializePhase();
    if (!SKIP.has('incremental')) await incrementalPhase(pg.url);
    if (!SKIP.has('sealing')) await sealingPhase();
    if (!SKIP.has('yaml')) await yamlPhase();
  } finally {
    reaper.stop();
    for (const child of children.reverse()) await stopProcess(child);
    await nats.stop();
    await pg.stop();
    // Its Postgres and NATS data are hundreds of MB a run.
    if (process.env.BENCH_KEEP_STATE !== '1') rmSync(dir, { recursive: true, force: true });
  }
}

interface Floors {
  inserts: number;
  hello: number;
  /** The command path's architecture with none of Slipway's work (bus-floor.ts). */
  bus: number;
  /** Measures the insert floor again: the machine's speed drifts within a run. */
  again: () => Promise<number>;
}

async function gatewayPhases(url: string, token: string, floors: Floors, databaseUrl: string, traffic: () => Promise<Traffic>): Promise<void> {
    const measured = await usageOf(traffic, () => closedLoop(url, 64, SECONDS, workerCalls(token, 'throughput')));
    const throughput = measured.result;
    console.log(`(b) create/update targets through the gateway, closed loop, 64 connections: ${describe(throughput)}`);
    measured.report();
    await settle(databaseUrl);
    const paced = await usageOf(traffic, () => openLoop(url, RATE, SECONDS, scheduledCalls(token, 'latency')));
    console.log(`(b) at ${RATE} cmds/s offered: ${describe(paced.result)} (target p99 <= 25 ms)`);
    paced.report();
    // The insert floor again, after (b) (not between its loops: 8 s of inserts left the
    // latency phase Postgres's write-back to absorb); the mean of both is the baseline.
    const after = await floors.again();
    const inserts = (floors.inserts + after) / 2;
    console.log(`(a) insert floor again after (b): ${round(after, 0)}/s; mean of both ${round(inserts, 0)}/s`);
    console.log(`(b) closed loop ratio to the insert floor (mean): ${round(throughput.perSecond / inserts)} (target >= 0.33); to the Fastify floor: ${round(throughput.perSecond / floors.hello)}; to the bus floor: ${round(throughput.perSecond / floors.bus)}`);
}

/** Runs a load and prints what each process used per completed command meanwhile. */
async function usageOf<T extends { completed: number }>(traffic: () => Promise<Traffic>, load: () => Promise<T>): Promise<{ result: T; report: () => void }> {
  const [cpuBefore, trafficBefore] = [cpuSnapshot(), await traffic()];
  const result = await load();
  const cpu = cpuPerUnit(cpuBefore, cpuSnapshot(), result.completed);
  const perCommand = trafficPerUnit(trafficBefore, await traffic(), result.completed);
  const report = () => {
    const cpuTotal = cpu.reduce((sum, u) => sum + u.cpuMs, 0);
    console.log(`    CPU per command: ${cpu.map((u) => `${u.role} ${round(u.cpuMs, 3)} ms`).join(', ')}; total ${round(cpuTotal, 3)} ms (${availableParallelism()} cores)`);
    console.log(`    system calls / context switches per command: ${cpu.map((u) => `${u.role} ${round(u.syscalls, 1)} / ${round(u.switches, 1)}`).join(', ')}`);
    console.log(`    per command: ${round(perCommand.pgTransactions)} Postgres transactions, ${round(perCommand.natsIn)} NATS messages in, ${round(perCommand.natsOut)} out`);
  };
  return { result, report };
}

async function replayPhase(databaseUrl: string, inserts: number): Promise<void> {

    const pool = createPool(databaseUrl, { schema: 'deployer', max: 4 });
    const synthetic = await appendSyntheticTargets(pool, 20_000, 9);
    // The synthetic events bypassed the inline projection: bring the live model up to date
    // the same way, so the replay below can also be compared for equality.
    await inTransaction(pool, async (tx) => {
      for (let after = START; ;) {
        const batch = await readLog(tx, after, { limit: 10_000 });
        if (batch.length === 0) break;
        await targetsProjection.apply(tx, batch.filter((e) => e.streamId.startsWith('target-bench/')));
        after = checkpointOf(batch[batch.length - 1]!);
      }
    });
    const replay = await rebuildAndCompare(pool, 'deployer', targetsProjection);
    const replayRate = replay.events / (replay.millis / 1000);
    console.log(`(c) replay of the targets projection: ${replay.events} events (${synthetic} synthetic) in ${round(replay.millis, 0)} ms = ${round(replayRate, 0)} events/s, equal to live: ${replay.equal} (read ${round(replay.phases.readMs, 0)} ms, apply ${round(replay.phases.applyMs, 0)} ms, compare ${round(replay.phases.compareMs, 0)} ms)`);
    console.log(`    ratio to the insert floor: ${round(replayRate / inserts)} (target >= 50k events/s)`);
    // A repair (replay --repair, or a service starting with other projection rules): it
    // rebuilds without a lock and holds writers off only to catch up and swap the rows.
    await pool.query("UPDATE targets SET labels = '{}'::jsonb WHERE name = (SELECT min(name) FROM targets)");
    const repair = await rebuildLive(pool, 'deployer', targetsProjection);
    console.log(`(c) repair of the targets projection (one row differing): ${round(repair.millis, 0)} ms in all, writers held off ${round(repair.lockedMs, 0)} ms, repaired: ${repair.repaired}`);
    await pool.end();
}

/** (k) a namespace of 21,500 targets listed through the gateway, against reading its rows. */
async function longNamespacePhase(url: string, token: string, databaseUrl: string): Promise<void> {
  const r = await longNamespaceBench(url, token, databaseUrl);
  console.log(`(k) a namespace of ${r.targets} targets (${round(r.bytes / 1024 / 1024, 1)} MiB of JSON) listed through the gateway: ${round(r.listMs, 0)} ms, its rows read and written as JSON by a bare client ${round(r.floorMs, 0)} ms, ratio ${round(r.listMs / r.floorMs)}`);
  console.log(`    CPU per list: ${r.cpu.map((u) => `${u.role} ${round(u.cpuMs, 0)} ms`).join(', ')}; ${r.together} lists at once: ${round(r.togetherMs, 0)} ms, statuses ${JSON.stringify(r.statuses)}`);
  console.log(`    as YAML (${round(r.yamlBytes / 1024 / 1024, 1)} MiB): ${round(r.yamlMs, 0)} ms, ${round(r.yamlMs / r.listMs, 1)} x the JSON list`);
  const mib = (bytes: number) => `${round(bytes / 1024 / 1024, 0)} MiB`;
  console.log(`    the gateway's resident memory: ${mib(r.gatewayRssBefore)} before, at most ${mib(r.gatewayPeakJsonRss)} over the JSON lists one at a time, ${mib(r.gatewayPeakYamlRss)} over the YAML lists`);
}

/** (i) a page of the audit log at the end of a long log, against reading one event by its position. */
async function auditPhase(serverUrl: string): Promise<void> {
  const r = await auditReadBench(await benchDatabase(serverUrl, 'audit'));
  console.log(`(i) audit pages on a log of ${r.events} events: caught up at its end ${round(r.caughtUpMs)} ms (by stream ${round(r.caughtUpStreamMs)} ms), a page before the end ${round(r.nearEndMs)} ms; one event by position ${round(r.byPositionMs)} ms`);
  console.log(`    ratio to one event by position: caught up ${round(r.caughtUpMs / r.byPositionMs)}, by stream ${round(r.caughtUpStreamMs / r.byPositionMs)}, before the end ${round(r.nearEndMs / r.byPositionMs)}`);
  console.log(`    caught up as the audit API reads it (cursor resolved, page redacted): ${round(r.caughtUpApiMs)} ms, ${round(r.caughtUpApiMs / r.caughtUpMs)} x the bare page`);
}

/** (g) a command on a long stream, with and without snapshots, against one on a new stream. */
async function longStreamPhase(serverUrl: string): Promise<void> {
  const url = await benchDatabase(serverUrl, 'history');
  const r = await longStreamBench(url);
  console.log(`(g) one push on a namespace's cluster stream of ${r.history} events: ${round(r.snapshotsMs)} ms with snapshots, ${round(r.wholeMs)} ms reading the whole stream, ${round(r.freshMs)} ms on a new stream`);
  console.log(`    ratio to a new stream: ${round(r.snapshotsMs / r.freshMs)} with snapshots, ${round(r.wholeMs / r.freshMs)} without`);
  const s = await snapshotStatementBench(url);
  console.log(`    a snapshot of ${round(s.mib, 1)} MiB (a namespace of 200 ConfigMaps) as its statement: ${round(s.statementMs, 0)} ms of the event loop, JSON.stringify alone ${round(s.stringifyMs, 0)} ms `
    + `(ratio ${round(s.statementMs / s.stringifyMs, 2)}); quoted as pg's escapeLiteral quotes ${round(s.pgQuotingMs, 0)} ms (ratio ${round(s.pgQuotingMs / s.stringifyMs, 2)}); `
    + `written (built and run) ${round(s.writeMs, 0)} ms`);
}

/** The phases on a Kubernetes control plane, one started for both: (d) and (j). */
async function kubePhases(root: string, stateDir: string, urls: { postgres: string; nats: string }, logDir: string): Promise<void> {
  const kube = process.env.KUBECONFIG ? undefined : await startKubeTestenv(root, stateDir);
  const kubeconfig = process.env.KUBECONFIG ?? kube!.kubeconfig;
  try {
    if (!SKIP.has('kube')) await kubePhase(kubeconfig);
    if (!SKIP.has('push')) await pushPhase(root, { ...urls, kubeconfig }, logDir);
  } finally {
    await kube?.stop();
  }
}

/** (d) issue #3: 100 objects through Slipway's Kubernetes port vs kubectl apply --server-side. */
async function kubePhase(kubeconfig: string): Promise<void> {
  const r = await kubeApplyBench(kubeconfig);
  console.log(`(d) apply 100 objects: Slipway's port ${round(r.slipwayMs, 0)} ms, kubectl apply --server-side ${round(r.kubectlMs, 0)} ms, ratio ${round(r.ratio)} (target <= 1.0)`);
}

/** (j) a one-key patch and its push, on a store of two objects and on one of hundreds holding tens of MB. */
async function pushPhase(root: string, urls: { postgres: string; nats: string; kubeconfig: string }, logDir: string): Promise<void> {
  const r = await pushBench(root, urls, logDir);
  console.log(`(j) a one-key patch of a ConfigMap and its push (applied: ${r.applied.large.join(', ')}): on a store of 2 objects ${round(r.smallMs, 0)} ms, `
    + `beside ${r.objects - 2} more (${round(r.storedMiB, 0)} MiB) ${round(r.largeMs, 0)} ms (slowest ${round(r.largeMaxMs, 0)} ms), ratio ${round(r.largeMs / r.smallMs)}`);
  console.log(`(j) an upload of ${r.wide.objects} new ConfigMaps answered with its push (applied ${r.wide.applied}): ${round(r.wide.pushMs, 0)} ms; `
    + `the same applied straight to the API server, 8 at once: ${round(r.wide.directMs, 0)} ms; ratio ${round(r.wide.pushMs / r.wide.directMs)}`);
}

/** (e) issue #4: materialize 1,000 objects with 200 patches vs kustomize build on the same input. */
async function materializePhase(): Promise<void> {
  const r = await materializeBench();
  console.log(`(e) materialize ${r.objects} objects with ${r.patches} patches: Slipway ${round(r.slipwayMs, 0)} ms, kustomize ${round(r.kustomizeMs, 0)} ms, ratio ${round(r.ratio, 3)} (target <= 0.5), outputs equal: ${r.equal}`);
  const wide = await longListBench();
  console.log(`(e) one patch merging ${wide.entries} env entries into a container's: Slipway ${round(wide.slipwayMs, 0)} ms, kustomize ${round(wide.kustomizeMs, 0)} ms, ratio ${round(wide.ratio, 3)}, outputs equal: ${wide.equal}`);
}

/** (h) keeping secrets out of the log: sealing an upload vs reading it; redacting many aliases vs parsing them. */
async function sealingPhase(): Promise<void> {
  const r = await sealingBench();
  const shown = (leaked: boolean) => (leaked ? 'in the log' : 'kept out');
  console.log(`(h) seal an upload of ${round(r.bytes / 1024, 0)} KiB: ${round(r.sealMs, 0)} ms, reading it ${round(r.parseMs, 0)} ms, ratio ${round(r.sealMs / r.parseMs)}; `
    + `its files parsed up to 4 KiB only ${round(r.boundedMs, 0)} ms (ratio ${round(r.boundedMs / r.parseMs)}; a long file's password ${shown(r.leaked.bounded)}, whole: ${shown(r.leaked.sealed)})`);
  console.log(`    the event loop held sealing it at once ${round(r.sealHeldMs, 0)} ms; through CommandSeals (the worker) ${round(r.offLoopMs, 0)} ms, held ${round(r.offLoopHeldMs, 0)} ms (ratio ${round(r.offLoopHeldMs / r.sealHeldMs, 3)})`);
  const m = r.manifest;
  console.log(`    the deployer recording an applied ConfigMap's ${round(m.bytes / 1024, 0)} KiB file: judged at once ${round(m.atOnceMs, 0)} ms (held ${round(m.atOnceHeldMs, 0)} ms); `
    + `through withSecretsDigested (the worker) ${round(m.offLoopMs, 0)} ms, held ${round(m.offLoopHeldMs, 0)} ms (ratio ${round(m.offLoopHeldMs / m.atOnceHeldMs, 3)})`);
  console.log(`    redact ${round(r.aliasBytes / 1024, 0)} KiB with 1,000 aliases to one secret: ${round(r.aliasRedactMs, 0)} ms, parsing it ${round(r.aliasParseMs, 0)} ms, ratio ${round(r.aliasRedactMs / r.aliasParseMs)}`);
  for (const p of patchRedactionBench()) {
    console.log(`    a patch.applied.v1 event of ${p.shape} (${round(p.bytes / 1024 / 1024, 1)} MiB) as the audit API shows it: ${round(p.redactMs, 0)} ms, parsing its texts once ${round(p.parseMs, 0)} ms, ratio ${round(p.redactMs / p.parseMs, 1)}`);
  }
  for (const h of hostileFlagTextBench()) {
    console.log(`    text patterns on hostile flag text, ${h.shape} (${round(h.bytes / 1024 / 1024, 1)} MiB): ${round(h.hostileMs, 0)} ms, on a plain log as long ${round(h.plainMs, 0)} ms, ratio ${round(h.hostileMs / h.plainMs, 1)}`);
  }
}

/** (i) hostile YAML bodies: one map of n and 4n keys, n and 4n aliases, read by the gateway and the config-store, against JSON.parse. */
async function yamlPhase(): Promise<void> {
  const [small, large] = yamlBodiesBench();
  for (const r of [small, large]) {
    console.log(`(i) a YAML map of ${r.n} keys (${round(r.bytes / 1024, 0)} KiB): gateway ${round(r.gatewayKeysMs, 1)} ms, config-store ${round(r.storeKeysMs, 1)} ms, JSON.parse of it ${round(r.jsonMs, 1)} ms (ratios ${round(r.gatewayKeysMs / r.jsonMs, 1)}, ${round(r.storeKeysMs / r.jsonMs, 1)}); ${r.n} aliases: gateway ${round(r.gatewayAliasesMs, 1)} ms`);
  }
  const growth = (f: (r: typeof small) => number) => round(f(large) / f(small), 1);
  console.log(`    4 times the size costs: keys ${growth((r) => r.gatewayKeysMs)} × (gateway), ${growth((r) => r.storeKeysMs)} × (config-store), aliases ${growth((r) => r.gatewayAliasesMs)} ×; JSON.parse ${growth((r) => r.jsonMs)} × (linear: about 4, quadratic: 16)`);
  const held = await loopHeldBench();
  console.log(`    ${held.count} YAML bodies of ${round(held.bytes / 1024, 0)} KiB read in turn: at once ${round(held.inlineMs, 0)} ms each, holding the event loop up to ${round(held.inlineHeldMs, 0)} ms; `
    + `on the worker ${round(held.offLoopMs, 0)} ms each, holding it up to ${round(held.offLoopHeldMs, 0)} ms (ratio ${round(held.offLoopHeldMs / held.inlineHeldMs, 3)})`);
  const reading = commandReadingBench();
  console.log(`(a) a service reading a command of ${reading.bytes} bytes: as another process's, strictly (UTF-8 checked, keys counted) ${round(reading.strictNs, 0)} ns, by JSON.parse alone ${round(reading.plainNs, 0)} ns (ratio ${round(reading.strictNs / reading.plainNs, 2)})`);
  const r = await readerRedactionBench();
  console.log(`    a ${round(r.bytes / 1024, 0)} KiB config shown to a reader: by the patterns alone ${round(r.patternsMs, 0)} ms (holding the loop ${round(r.patternsHeldMs, 0)} ms; its aliased password ${r.leaked.patterns ? 'shown' : 'hidden'}); `
    + `parsed whole at once ${round(r.wholeMs, 0)} ms (held ${round(r.wholeHeldMs, 0)} ms, ${round(r.wholeMs / r.patternsMs, 1)} × the patterns); through the worker ${round(r.firstMs, 0)} ms (held ${round(r.firstHeldMs, 0)} ms, `
    + `ratio to at once ${round(r.firstHeldMs / r.wholeHeldMs, 3)}; password ${r.leaked.reader ? 'shown' : 'hidden'}), read again ${round(r.againMs, 0)} ms (remembered; ${round(r.againMs / r.wholeMs, 3)} × the parse)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
