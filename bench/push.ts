import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { applyObject, deleteObject, kubeClientFor, loadKubeConfig, unwrap, type KubeObject } from '@slipway/kube';
import { parse } from 'yaml';
import { freePort, spawnApps, stopProcess } from '@slipway/local-stack';
import { benchDatabase } from './bench-database';
import { percentile } from './stats';

/** ConfigMaps beside the measured pair, and each one's file. */
const BULK = 200;
const BULK_KIB = 200;
/** Deployments beside them too, applied before: a push of a ConfigMap asks which of them read it. */
const BULK_WORKLOADS = 50;
/** Objects an upload carries (its body stays under the upload bound). */
const PER_UPLOAD = 12;
/** Each push records 2 events: 20 of them take in at least one snapshot of the state (every 32 events), its cost the slowest. */
const RUNS = 20;
const ROOT = '/api/v1/control_plane';
/** ConfigMaps a wide write uploads and pushes at once (an upload takes 2,000 documents). */
const WIDE = 1_000;
/** Applies the baseline has in flight, as a push does. */
const DIRECT_AT_ONCE = 8;

export interface PushBenchResult {
  /** Median of a one-key patch and its push on a store of the pair alone, and beside the bulk; the slowest beside the bulk. */
  smallMs: number; largeMs: number; largeMaxMs: number;
  objects: number; storedMiB: number;
  /** What the last push applied (the patched ConfigMap and its reader, rolled), both times. */
  applied: { small: string[]; large: string[] };
  /** An upload of WIDE new ConfigMaps answered with its push, and the same objects applied straight to the API server (the floor). */
  wide: { objects: number; pushMs: number; directMs: number; applied: number };
}

const parseDocument = (text: string): KubeObject => parse(text) as KubeObject;

/** What a write's push applied: from its answer, or, answered 202 past the gateway's wait, from its push's status once it has one. */
async function pushed(response: Response, url: string, token: string): Promise<string[]> {
  const body = await response.json() as { data?: { successful_apply?: string[]; statusUrl?: string } };
  if (response.status === 200) return body.data?.successful_apply ?? [];
  if (response.status !== 202 || !body.data?.statusUrl) throw new Error(`the write answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  for (;;) {
    const status = await (await fetch(`${url}${body.data.statusUrl}`, { headers: { authorization: `Bearer ${token}` } })).json() as { status: string; outcome?: { ok: boolean; value?: { successfulApply?: string[] } } };
    if (status.status === 'succeeded') return status.outcome?.value?.successfulApply ?? [];
    if (status.status !== 'pending') throw new Error(`the push ${status.status}: ${JSON.stringify(status).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const wideConfigMap = (prefix: string, i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${prefix}-${i}\ndata:\n  index: "${i}"\n  payload: ${'x'.repeat(256)}\n`;

const reader = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 0
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: registry.example/web:1
        envFrom:
        - configMapRef: { name: web-settings }
`;
const settings = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\ndata:\n  LOG_LEVEL: INFO\n';

function bulkConfigMap(i: number): string {
  const lines = Array.from({ length: Math.ceil((BULK_KIB * 1024) / 40) }, (_, j) => `    entry-${i}-${j}: value ${(i * 7919 + j) % 100_003}`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bulk-${i}\ndata:\n  settings.yaml: |\n${lines.join('\n')}\n`;
}

const bulkWorkload = (i: number) => reader.replaceAll('web-settings', `bulk-${i}`).replaceAll('web', `worker-${i}`);

/**
 * (j) A push as the config store grows: a one-key patch of a ConfigMap that one Deployment
 * reads (its push applies the ConfigMap and rolls the reader), timed through the gateway on
 * a store of that pair alone, then again once BULK ConfigMaps of BULK_KIB and BULK_WORKLOADS
 * Deployments stand beside them. Each push reading every stored config made the second many
 * times the first; reading the objects it needs, the two should be alike.
 */
export async function pushBench(root: string, urls: { postgres: string; nats: string; kubeconfig: string }, logDir: string): Promise<PushBenchResult> {
  const namespace = `push-bench-${Date.now().toString(36)}`;
  const client = kubeClientFor(loadKubeConfig({ kubeconfig: urls.kubeconfig }));
  const token = randomBytes(24).toString('base64url');
  const port = await freePort();
  const env = {
    ...process.env, DATABASE_URL: await benchDatabase(urls.postgres, 'push'), NATS_URL: urls.nats, SLIPWAY_BUS_PREFIX: 'pushbench',
    SLIPWAY_ADMIN_TOKEN: token, SLIPWAY_PORT: String(port), SLIPWAY_HOST: '127.0.0.1', KUBECONFIG: urls.kubeconfig, SLIPWAY_KUBE_NAMESPACE: namespace,
  };
  const children: ChildProcess[] = [];
  unwrap(await applyObject(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }));
  try {
    const url = await spawnApps(root, env, logDir, children, (app, code) => { if (code) console.error(`${app} exited ${code}`); });
    const call = async (path: string, form: Record<string, string>) => {
      const response = await fetch(`${url}${ROOT}${path}`, {
        method: 'POST', headers: { Token: token, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
      });
      const body = await response.json() as { data?: { successful_apply?: string[]; failed_to_apply?: unknown } };
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
      return body.data?.successful_apply ?? [];
    };
    const upload = (release: string, documents: string[]) => call('/base_configs', { release_version: release, base_config: documents.join('---\n') });
    let level = 0;
    const patchTimes = async () => {
      const times: number[] = [];
      let applied: string[] = [];
      for (let run = 0; run <= RUNS; run++) {
        const started = performance.now();
        applied = await call('/patches/apply', { patch: `# target: web-settings\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: level-${level++}\n` });
        // The first is a warm-up.
        if (run > 0) times.push(performance.now() - started);
      }
      return { ms: percentile(times, 50), maxMs: Math.max(...times), applied };
    };

    await upload('1.0', [reader, settings]);
    const small = await patchTimes();
    for (let at = 0; at < BULK; at += PER_UPLOAD) {
      const end = Math.min(at + PER_UPLOAD, BULK);
      const documents = Array.from({ length: end - at }, (_, k) => bulkConfigMap(at + k));
      await upload(`bulk-${at}`, documents);
    }
    await upload('bulk-workloads', Array.from({ length: BULK_WORKLOADS }, (_, i) => bulkWorkload(i)));
    const large = await patchTimes();

    // A wide write: WIDE new ConfigMaps in one upload, answered once its push applied them all;
    // then the same objects (under other names) applied by this process, DIRECT_AT_ONCE at a time.
    const wideStarted = performance.now();
    const wideApplied = await pushed(await fetch(`${url}${ROOT}/base_configs`, {
      method: 'POST', headers: { Token: token, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ release_version: 'wide', base_config: Array.from({ length: WIDE }, (_, i) => wideConfigMap('wide', i)).join('---\n') }).toString(),
    }), url, token);
    const pushMs = performance.now() - wideStarted;
    const direct = Array.from({ length: WIDE }, (_, i) => ({ ...parseDocument(wideConfigMap('direct', i)), metadata: { name: `direct-${i}`, namespace } }));
    const directStarted = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: DIRECT_AT_ONCE }, async () => {
      while (next < direct.length) unwrap(await applyObject(client, direct[next++]!));
    }));
    const directMs = performance.now() - directStarted;
    return {
      smallMs: small.ms, largeMs: large.ms, largeMaxMs: large.maxMs, objects: 2 + BULK + BULK_WORKLOADS, storedMiB: (BULK * bulkConfigMap(0).length) / 1024 / 1024,
      applied: { small: small.applied, large: large.applied },
      wide: { objects: WIDE, pushMs, directMs, applied: wideApplied.length },
    };
  } finally {
    for (const child of children.reverse()) await stopProcess(child);
    await deleteObject(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    await client.close();
  }
}
