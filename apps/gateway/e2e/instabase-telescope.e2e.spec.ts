import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listObjects, type KubeObject } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { createTestNamespace, kubeTestenvDir, type TestNamespace } from '@slipway/testing/kube';
import { strFromU8, unzipSync } from 'fflate';
import { Client } from 'pg';
import { tarGz, zip } from '../src/dialects/instabase/archive/archive.testing';
import { expectNoneInNatsFiles, natsStore } from './nats-files';
import { startStack, type Stack } from './stack';

/**
 * obs/telescope through the gateway: an export is requested (WAITING), collected for its
 * services and range (SUCCESS, with a real .zip at zip_file_path, secrets redacted), then
 * that .zip — or a .tar.gz of the same files — is imported and its configs and status read
 * back; hostile archives are refused before anything is stored. Here telemetry has no
 * cluster, so the manifest says pod logs were not collected; the pod logs themselves are
 * exported in the second describe, against the test run's control plane.
 */
const ROOT = '/api/v1/control_plane';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function upload(bytes: Buffer, filename: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), filename);
  return form;
}

/** Requests in the dialect's way (its Token header) to the stack a describe starts. */
function dialect(stack: () => Stack) {
  const call = (path: string, init: RequestInit = {}) =>
    stack().request(`${ROOT}${path}`, { ...init, headers: { authorization: '', Token: stack().adminToken, ...(init.headers as Record<string, string> | undefined) } });
  const json = async (path: string, init: RequestInit = {}) => {
    const response = await call(path, init);
    return { status: response.status, body: await response.json() };
  };
  /** The export's status once it is no longer WAITING. */
  const finished = (id: string) => eventually(async () => {
    const status = await json(`/obs/telescope/export/${id}/status`);
    expect(status.body.data?.job_status).not.toBe('WAITING');
    return status;
  }, 30_000, 100);
  return { json, finished };
}

describe('Instabase dialect: obs/telescope export and import', () => {
  let stack: Stack;
  const { json, finished } = dialect(() => stack);

  beforeAll(async () => {
    stack = await startStack({ commandWaitMs: 10_000 });
  });
  afterAll(() => stack.stop());

  const start = new Date(Date.now() - 3_600_000).toISOString();
  let exported: Buffer;

  it('exports: WAITING with the request (label made unique), then SUCCESS with a .zip of the range', async () => {
    // Something in the audit log of the range, with a secret in it.
    const settings = await json('/base_configs', {
      method: 'POST',
      body: upload(zip({ 'c/app.yaml': new TextEncoder().encode('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  DB_PASSWORD: hunter2\n  LOG_LEVEL: INFO\n') }), 'c.zip', { release_version: '30.0.0' }),
    });
    expect(settings.status).toBe(200);
    const end = new Date(Date.now() + 60_000).toISOString();
    const request = { services: ['app-config', 'server-nginx'], data_sources: ['LOGS', 'STATS', 'CONFIGS'], label: 'any-label', start, end };
    const started = await json('/obs/telescope/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(started).toEqual({
      status: 200,
      body: {
        statusCode: 200, error: null,
        data: { id: expect.stringMatching(UUID), job_status: 'WAITING', request: { ...request, label: expect.stringMatching(/^any-label-\d{13}$/) }, result: { zip_file_path: '' } },
      },
    });
    const { id } = started.body.data;
    const status = await finished(id);
    expect(status).toEqual({
      status: 200,
      body: { statusCode: 200, error: null, data: { id, job_status: 'SUCCESS', request: started.body.data.request, result: { zip_file_path: expect.stringMatching(new RegExp(`/telescope-\\d+/${id}\\.zip$`)) } } },
    });
    exported = readFileSync(status.body.data.result.zip_file_path);
    const files = unzipSync(exported);
    expect(Object.keys(files).sort()).toEqual(['audit-events.json', 'configs.json', 'manifest.json', 'stats.json']);
    expect(JSON.parse(strFromU8(files['manifest.json']!))).toEqual({
      ...started.body.data.request,
      collected: {
        services: {
          'app-config': { status: 'found', kind: 'ConfigMap' },
          'server-nginx': { status: 'not found', reason: 'the config store manages no object named "server-nginx"' },
        },
        events: { exported: 1, bytes: expect.any(Number), maxBytes: 8 * 1024 * 1024, truncated: false },
        logs: { status: 'unavailable', reason: expect.stringContaining('KUBECONFIG') },
      },
    });
    const audit = JSON.parse(strFromU8(files['audit-events.json']!)) as Array<{ type: string }>;
    expect(audit.map((e) => e.type)).toEqual(['baseconfig.uploaded.v1']);
    const configs = JSON.parse(strFromU8(files['configs.json']!));
    expect(configs['service/app-config']).toMatchObject({ releaseVersion: '30.0.0', config: expect.stringContaining('DB_PASSWORD: [redacted]') });
    const text = Object.values(files).map((f) => strFromU8(f)).join('\n');
    expect(text).toContain('app-config');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(stack.adminToken);
  });

  it('refuses an unknown export id and a start after the end', async () => {
    expect(await json('/obs/telescope/export/no-such-id/status')).toMatchObject({ status: 404, body: { statusCode: 404, data: null } });
    const bad = await json('/obs/telescope/export', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ services: ['a'], data_sources: ['LOGS'], label: 'l', start: '2023-10-26T14:00:00Z', end: '2023-10-26T13:00:00Z' }),
    });
    expect(bad).toEqual({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('start must be before end: an export covers [start, end)') } });
  });

  it('keeps a URL password in an export\'s or an import\'s label [redacted]: the label is recorded in the log and in the export', async () => {
    const request = { services: ['app-config'], data_sources: ['STATS'], label: 'db mysql://root:ExpLabelPw7788@db/x', start, end: new Date(Date.now() + 60_000).toISOString() };
    const started = await json('/obs/telescope/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(started.body.data.request.label).toMatch(/^db mysql:\/\/root:\[redacted\]@db\/x-\d{13}$/);
    const manifest = { services: ['core-platform-service'], data_sources: ['STATS'], start: '2023-09-28T13:53:53.423Z', end: '2023-09-28T14:53:53.423Z', label: 'l postgres://a:ImpUrlPw5511@h/x-1695912845006' };
    const imported = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', body: JSON.stringify(manifest) }]), 'labelled.tar.gz') });
    expect(imported).toMatchObject({ status: 200, body: { data: { job_status: 'SUCCESS', result: { ...manifest, label: 'l postgres://a:[redacted]@h/x-1695912845006' } } } });
    // nothing Slipway keeps holds either password
    const kept = await stack.services[0]!.pool.query<{ row: string }>(
      `SELECT data::text AS row FROM events UNION ALL SELECT outcome::text FROM command_outcomes UNION ALL SELECT row_to_json(j)::text FROM telemetry.telescope_jobs j`,
    );
    expect(kept.rows.map((r) => r.row).join('\n')).not.toMatch(/ExpLabelPw7788|ImpUrlPw5511/);
    // and a job recorded before labels were kept so answers its status with the password hidden
    await stack.services[0]!.pool.query(`UPDATE telemetry.telescope_jobs SET request = jsonb_set(request, '{label}', '"old https://u:OldLabelPw99@x.example"') WHERE id = $1`, [started.body.data.id]);
    const status = await json(`/obs/telescope/export/${started.body.data.id}/status`);
    expect(status.body.data.request.label).toBe('old https://u:[redacted]@x.example');
  });

  it('imports the exported .zip: SUCCESS with the manifest as result, then its configs and status', async () => {
    const imported = await json('/obs/telescope/import', { method: 'POST', body: upload(exported, 'telescope.zip') });
    // The import's result is the request the export was made with, as in the document.
    const { collected: _collected, ...manifest } = JSON.parse(strFromU8(unzipSync(exported)['manifest.json']!));
    expect(imported).toEqual({
      status: 200,
      body: { statusCode: 200, error: null, data: { id: expect.stringMatching(UUID), job_status: 'SUCCESS', request: { zip_file_path: 'telescope.zip' }, result: manifest } },
    });
    const { id } = imported.body.data;
    expect(await json(`/obs/telescope/import/${id}/status`)).toEqual({ status: 200, body: imported.body });
    // The document lists id as a query parameter too: the same id there is taken, another refused.
    expect(await json(`/obs/telescope/import/${id}/status?id=${id}`)).toEqual({ status: 200, body: imported.body });
    expect(await json(`/obs/telescope/import/${id}/configs?id=other`)).toMatchObject({ status: 400, body: { statusCode: 400, error: expect.stringContaining('is not the path') } });
    const configs = await json(`/obs/telescope/import/${id}/configs`);
    expect(configs.status).toBe(200);
    expect(configs.body.data).toEqual(JSON.parse(strFromU8(unzipSync(exported)['configs.json']!)));
    expect(JSON.stringify(configs.body.data)).not.toContain('hunter2');
  });

  it('imports a .tar.gz of an export, its logs over the 4 MiB an upload may hold skipped; its secrets are redacted on the way in', async () => {
    const manifest = { services: ['core-platform-service'], data_sources: ['STATS', 'LOGS'], start: '2023-09-28T13:53:53.423Z', end: '2023-09-28T14:53:53.423Z', label: 'Wh2Pe9-33423-1695912845006' };
    const log = Array.from({ length: 90_000 }, (_, i) => `2023-09-28T13:${String(i % 60).padStart(2, '0')}:00.${i}Z GET /api/v1/items/${i * 7919} 200 ${i % 97} ms\n`).join('');
    expect(log.length).toBeGreaterThan(5 * 1024 * 1024);
    const bytes = tarGz([
      { name: 'export/manifest.json', body: JSON.stringify(manifest) },
      { name: 'export/configs.json', body: JSON.stringify({ app: { LOG_LEVEL: 'INFO', api_key: 'k-123' } }) },
      { name: 'export/logs/core-platform-service/core-0/app.log', body: log },
    ]);
    const imported = await json('/obs/telescope/import', { method: 'POST', body: upload(bytes, 'telescope.tar.gz') });
    expect(imported).toMatchObject({ status: 200, body: { statusCode: 200, error: null, data: { job_status: 'SUCCESS', request: { zip_file_path: 'telescope.tar.gz' }, result: manifest } } });
    expect(await json(`/obs/telescope/import/${imported.body.data.id}/configs`))
      .toEqual({ status: 200, body: { statusCode: 200, error: null, data: { app: { LOG_LEVEL: 'INFO', api_key: '[redacted]' } } } });
  });

  (natsStore ? it : it.skip)('leaves no secret of an imported archive in the NATS server\'s files: the import is erased from COMMANDS once handled', async () => {
    await expectNoneInNatsFiles(stack.busPrefix, async () => {
      // when an archive whose configs hold a secret is imported
      const secret = `k-${randomUUID()}`;
      const manifest = { services: ['core-platform-service'], data_sources: ['STATS'], start: '2023-09-28T13:53:53.423Z', end: '2023-09-28T14:53:53.423Z', label: 'erased' };
      const bytes = tarGz([{ name: 'manifest.json', body: JSON.stringify(manifest) }, { name: 'configs.json', body: JSON.stringify({ app: { api_key: secret } }) }]);
      expect((await json('/obs/telescope/import', { method: 'POST', body: upload(bytes, 'erased.tar.gz') })).status).toBe(200);
      // then the files do not hold the secret
      return [secret];
    });
  });

  it('refuses hostile archives and non-exports before anything is stored', async () => {
    const traversal = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: '../manifest.json', body: '{}' }]), 'evil.tar.gz') });
    expect(traversal).toMatchObject({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('file "evil.tar.gz"') } });
    const link = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', type: '2', link: '/etc/passwd' }]), 'link.tar.gz') });
    expect(link).toMatchObject({ status: 400, body: { statusCode: 400, data: null } });
    const notExport = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'a.json', body: '{}' }]), 'a.tar.gz') });
    expect(notExport).toEqual({ status: 400, body: { statusCode: 400, data: null, error: 'file "a.tar.gz": not a telescope export (no valid manifest.json); nothing was stored' } });
    // a file name holding a secret: named with it hidden, in the answer and in the refusal recorded as the command's outcome (probe: both held it)
    const named = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', body: '{"services": "web"}' }]), 'imp-password=Sekrit-4410.tar.gz') });
    expect(named).toMatchObject({ status: 400, body: { error: expect.stringContaining('file "imp-password=[redacted]": not a telescope export') } });
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT count(*)::int AS n FROM command_outcomes WHERE outcome::text LIKE '%Sekrit-4410%'");
      expect(rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
    // An export's files holding what no job row could keep, or nested past any export's depth: refused at once, naming them.
    const manifest = (label: string) => JSON.stringify({ services: ['web'], data_sources: ['CONFIGS'], start: '2026-12-04T00:00:00Z', end: '2026-12-04T01:00:00Z', label });
    const nul = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', body: manifest('x\u0000y') }]), 'nul.tar.gz') });
    expect(nul).toMatchObject({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('file "nul.tar.gz": manifest.json: label: must not contain a NUL character') } });
    const wrong = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', body: JSON.stringify({ ...JSON.parse(manifest('l')), services: 'web' }) }]), 'wrong.tar.gz') });
    expect(wrong).toMatchObject({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('file "wrong.tar.gz": not a telescope export (no valid manifest.json: services: ') } });
    const long = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', body: manifest(Array.from({ length: 400 }, (_, i) => (i * 7919).toString(36)).join('')) }]), 'long.tar.gz') });
    expect(long).toMatchObject({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('(no valid manifest.json: label: ') } });
    // two exports zipped together: which one is meant cannot be told
    const two = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'a/manifest.json', body: manifest('a') }, { name: 'b/manifest.json', body: manifest('b') }]), 'two.tar.gz') });
    expect(two).toMatchObject({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('file "two.tar.gz": holds 2 manifest.json files ("a/manifest.json", "b/manifest.json"): import one export at a time') } });
    // a label as long as an export may be asked for, suffixed as the export writes it, is taken back
    const longest = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', body: manifest(`${'l'.repeat(200)}-${Date.parse('2026-12-04T00:00:00Z')}`) }]), 'longest.tar.gz') });
    expect(longest).toMatchObject({ status: 200 });
    const deep = `{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const nested = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', body: manifest('deep') }, { name: 'configs.json', body: deep }]), 'deep.tar.gz') });
    expect(nested).toMatchObject({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('file "deep.tar.gz": configs.json is nested deeper than 128 levels') } });
    expect(await json('/obs/telescope/import/no-such-id/status')).toMatchObject({ status: 404, body: { statusCode: 404, data: null } });
  });
});

/** A Deployment for a base-config upload: its pods carry `app: <name>`, their container is `<container>`. */
const deployment = (name: string, container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: ${container}
        image: registry.k8s.io/pause:3.10
        env:
        - name: DB_PASSWORD
          value: pod-env-hunter4
`;

/**
 * A Deployment whose selector only excludes (`tier notin (db)`): on its own it selects every
 * pod of the namespace without a db tier, other services' pods included.
 */
const excludingDeployment = (name: string, container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchExpressions:
    - key: tier
      operator: NotIn
      values: [db]
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: ${container}
        image: registry.k8s.io/pause:3.10
`;

// KWOK serves one CRI-format file (<state-dir>/kwok/container.log) as every container's log:
// lines appended to it are every pod's log lines. So which pods an export read is told by
// its files, and what it read from them (window, redaction) by lines appended here.
// On a user's cluster there is no such file.
const describeOnTestenv = kubeTestenvDir() ? describe : describe.skip;

describeOnTestenv('Instabase dialect: obs/telescope export of pod logs from the control plane', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const { json, finished } = dialect(() => stack);
  const marker = randomBytes(4).toString('hex');
  const logLine = (at: number, message: string) => appendFileSync(join(kubeTestenvDir()!, 'kwok', 'container.log'), `${new Date(at).toISOString()} stdout F ${message}\n`);
  const podsOf = async (app: string) =>
    (await listObjects<KubeObject & { status?: { phase?: string; containerStatuses?: object[] } }>(kube.client, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: kube.namespace } }, { labelSelector: `app=${app}` }));
  const running = (app: string) => eventually(async () => {
    const pods = await podsOf(app);
    expect(pods.ok && pods.value.items.map((p) => p.status?.phase)).toEqual(['Running']);
    return pods.ok ? pods.value.items.map((p) => p.metadata.name) : [];
  }, 60_000, 200);
  const exportOf = async (services: string[], start: number, end: number) => {
    const request = { services, data_sources: ['LOGS', 'STATS', 'CONFIGS'], label: 'pods', start: new Date(start).toISOString(), end: new Date(end).toISOString() };
    const started = await json('/obs/telescope/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(started.status).toBe(200);
    const status = await finished(started.body.data.id);
    expect(status.body.data.job_status).toBe('SUCCESS');
    const files = unzipSync(readFileSync(status.body.data.result.zip_file_path));
    return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
  };

  let apiPod: string;
  let workerPod: string;
  let excludingPod: string;
  beforeAll(async () => {
    kube = await createTestNamespace('telescope');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    // Uploading base configs applies them: the deployer has this namespace.
    const uploaded = await json('/base_configs', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        release_version: '1.0.0',
        base_config: [deployment('telescope-api', 'api'), deployment('telescope-worker', 'worker'), excludingDeployment('telescope-excluding', 'excluding')].join('---\n'),
      }).toString(),
    });
    expect(uploaded).toMatchObject({ status: 200, body: { data: { successful_apply: expect.arrayContaining(['telescope-api', 'telescope-worker', 'telescope-excluding']) } } });
    [apiPod] = await running('telescope-api') as [string];
    [workerPod] = await running('telescope-worker') as [string];
    [excludingPod] = await running('telescope-excluding') as [string];
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('exports the logs of the requested service\'s pods in the range, redacted, and no other service\'s', async () => {
    const now = Date.now();
    const start = now - 30 * 60_000;
    const end = now + 2 * 60_000;
    logLine(now, `telescope in range ${marker}`);
    logLine(now, `API_TOKEN=s3cr3t-${marker}`);
    logLine(start - 10 * 60_000, `telescope before the start ${marker}`);
    logLine(end + 10 * 60_000, `telescope after the end ${marker}`);

    const files = await exportOf(['telescope-api', 'no-such-service'], start, end);
    const apiLog = `logs/telescope-api/${apiPod}/api.log`;
    expect(Object.keys(files).filter((name) => name.startsWith('logs/'))).toEqual([apiLog]);
    expect(files[apiLog]).toMatch(new RegExp(`^\\S+Z telescope in range ${marker}$`, 'm'));
    expect(files[apiLog]).toContain('API_TOKEN=[redacted]');
    expect(files[apiLog]).not.toContain(`s3cr3t-${marker}`);
    expect(files[apiLog]).not.toContain(`before the start ${marker}`);
    expect(files[apiLog]).not.toContain(`after the end ${marker}`);

    const manifest = JSON.parse(files['manifest.json']!);
    expect(manifest.collected.services).toEqual({
      'telescope-api': { status: 'found', kind: 'Deployment', selector: 'app=telescope-api,slipway.io/deployment-name=telescope-api', pods: [apiPod] },
      'no-such-service': { status: 'not found', reason: 'the config store manages no object named "no-such-service"' },
    });
    expect(manifest.collected.logs).toMatchObject({
      status: 'collected', namespace: kube.namespace, truncated: false,
      containers: [{ service: 'telescope-api', pod: apiPod, container: 'api', file: apiLog, truncated: false, lines: expect.any(Number) }],
    });
    expect(JSON.parse(files['stats.json']!).services).toEqual({
      'telescope-api': { status: 'found', kind: 'Deployment', pods: [expect.objectContaining({ name: apiPod, phase: 'Running', ready: '1/1' })] },
      'no-such-service': { status: 'not found', pods: [] },
    });
    expect(JSON.parse(files['configs.json']!)['service/telescope-api']).toMatchObject({ releaseVersion: '1.0.0', config: expect.stringContaining('name: telescope-api') });
    // Nothing of the other service: not its pods' logs, not its config, not its events.
    expect(Object.values(files).join('\n')).not.toContain('telescope-worker');
    // The env secret is in the config, the upload and the applied manifest: redacted in each.
    expect(Object.values(files).join('\n')).not.toContain('pod-env-hunter4');
    expect(files['configs.json']).toContain('DB_PASSWORD');
  });

  it('exports the other service\'s pods when that one is asked for', async () => {
    const files = await exportOf(['telescope-worker'], Date.now() - 60_000, Date.now() + 60_000);
    expect(Object.keys(files).filter((name) => name.startsWith('logs/'))).toEqual([`logs/telescope-worker/${workerPod}/worker.log`]);
    expect(Object.values(files).join('\n')).not.toContain('telescope-api');
  });

  it('keeps a service whose selector only excludes to its own pods, not every other pod of the namespace', async () => {
    const files = await exportOf(['telescope-excluding'], Date.now() - 60_000, Date.now() + 60_000);
    expect(Object.keys(files).filter((name) => name.startsWith('logs/'))).toEqual([`logs/telescope-excluding/${excludingPod}/excluding.log`]);
    expect(JSON.parse(files['manifest.json']!).collected.services).toEqual({
      'telescope-excluding': { status: 'found', kind: 'Deployment', selector: 'tier notin (db),slipway.io/deployment-name=telescope-excluding', pods: [excludingPod] },
    });
    expect(Object.values(files).join('\n')).not.toContain(apiPod);
    expect(Object.values(files).join('\n')).not.toContain(workerPod);
  });

  it('exports the log of the instance before a restart as well, redacted (kubectl logs --previous)', async () => {
    // given the worker's container restarted once (KWOK runs no process: its status says so)
    const pods = await podsOf('telescope-worker');
    const statuses = pods.ok ? pods.value.items[0]?.status?.containerStatuses ?? [] : [];
    expect(statuses).toHaveLength(1);
    const restarted = statuses.map((status) => ({ ...status, restartCount: 1, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: new Date(Date.now() - 60_000).toISOString(), finishedAt: new Date().toISOString() } } }));
    const patched = await kube.client.http.send({
      method: 'PATCH', path: `/api/v1/namespaces/${kube.namespace}/pods/${workerPod}/status`,
      body: JSON.stringify({ status: { containerStatuses: restarted } }), contentType: 'application/merge-patch+json',
    });
    expect(patched.ok).toBe(true);
    const previousLog = (at: number, message: string) => appendFileSync(join(kubeTestenvDir()!, 'kwok', 'previous-container.log'), `${new Date(at).toISOString()} stdout F ${message}\n`);
    previousLog(Date.now(), `out of memory before the restart ${marker}`);
    previousLog(Date.now(), `DB_PASSWORD=crashed-${marker}`);

    // when its service is exported
    const files = await exportOf(['telescope-worker'], Date.now() - 60_000, Date.now() + 60_000);

    // then both instances' logs are there, each from its own source
    const current = `logs/telescope-worker/${workerPod}/worker.log`;
    const previous = `logs/telescope-worker/${workerPod}/worker.previous.log`;
    expect(Object.keys(files).filter((name) => name.startsWith('logs/')).sort()).toEqual([current, previous]);
    expect(files[previous]).toMatch(new RegExp(`^\\S+Z out of memory before the restart ${marker}$`, 'm'));
    expect(files[previous]).toContain('DB_PASSWORD=[redacted]');
    expect(Object.values(files).join('\n')).not.toContain(`crashed-${marker}`);
    expect(files[current]).not.toContain(`before the restart ${marker}`);
    expect(JSON.parse(files['manifest.json']!).collected.logs.containers).toEqual([
      expect.objectContaining({ service: 'telescope-worker', pod: workerPod, container: 'worker', file: current }),
      expect.objectContaining({ service: 'telescope-worker', pod: workerPod, container: 'worker', previous: true, file: previous, truncated: false }),
    ]);
  });
});
