import { createPool } from '@slipway/event-log';
import { getObject, unwrap, type KubeObject } from '@slipway/kube';
import { eventually } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { zipSync } from 'fflate';
import type { Pool } from 'pg';
import { replayAll } from '../../telemetry/src/replay/replay';
import { callInstabase, form, issueReadToken } from './instabase-fixtures';
import { startStack, type Stack } from './stack';

/**
 * Base configs and patches holding secrets (../shared/seeds/004): the cluster gets the
 * values, while the event log holds none of them (config text is recorded sealed, its
 * secrets kept beside the log; applied manifests with digests of them), drift still sees
 * a changed secret, and a replay rebuilds the same configs from the log and the store.
 */
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const PASSWORD = 'base-password-5e1c';
const USERNAME = 'svc-user-88ab';
const ENV_SECRET = 'env-api-key-0d4f';
const URL_SECRET = 'url-pass-7c21';
/** A flag's value in the next argument (`--db-password x`), as manifests write args. */
const ARG_SECRET = 'arg-password-4b6e';
const PATCHED_PASSWORD = 'patched-password-93be';
const PATCHED_ENV = 'patched-env-key-61aa';
const UNKINDED_TOKEN = 'no-kind-token-2b7d';
const DESCRIBED = 'described-pw-5a0c';
const REWRITE_DESCRIBED = 'rewrite-described-pw-3e9b';
const EARLY = 'early-session-77f1';
const LABELLED = 'labelled-rotation-pw-5d19';
/** Put in a live object by hand, never uploaded (so not in SECRETS: the admin's drift shows it). */
const LIVE_EDIT = 'live-edit-pw-c31d';
/** In a ConfigMap's long file, behind an escaped key (its own test). */
const FILE_SECRET = 'escaped-file-pw-8d2a';
/** In a ConfigMap's XML and TOML files, where no YAML rule reads them (their own test). */
const XML_SECRET = 'hadoop-s3-secret-6f3b';
const TOML_SECRET = 'toml-multiline-pw-19ce';
const KEYSTORE_SECRET = 'tomcat-keystore-pw-71da';
/** Under a TOML table that alone says secret, and in an XML entity a secret element refers to. */
const TABLE_SECRET = 'toml-table-value-4e07';
const ENTITY_SECRET = 'xml-entity-pw-a95c';
const SECRETS = [PASSWORD, b64(PASSWORD), USERNAME, ENV_SECRET, URL_SECRET, ARG_SECRET, PATCHED_PASSWORD, b64(PATCHED_PASSWORD), PATCHED_ENV, UNKINDED_TOKEN, b64(UNKINDED_TOKEN), DESCRIBED, REWRITE_DESCRIBED, EARLY, b64(EARLY)];

const BASE = `apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
data:
  password: ${b64(PASSWORD)}
stringData:
  username: ${USERNAME}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings
data:
  DATABASE_URL: postgres://app:${URL_SECRET}@db:5432/app
  LOG_LEVEL: INFO
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: deployment-api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: gcr.io/instabase-public/api:1.0
        args: ["--db-password", "${ARG_SECRET}", "--port", "8080"]
        env:
        - name: API_KEY
          value: ${ENV_SECRET}
        - name: LOG_FORMAT
          value: json
`;

const PATCHES = `# target: db-credentials
kind: Secret
stringData:
  password: ${PATCHED_PASSWORD}
---
{"kind": "Deployment", "target": "deployment-api", "patch": [{"op": "replace", "path": "/spec/template/spec/containers/0/env/0/value", "value": "${PATCHED_ENV}"}]}
---
# target: db-credentials
stringData:
  session: ${UNKINDED_TOKEN}
`;

describe('Instabase configs with secrets', () => {
  let kube: TestNamespace;
  let stack: Stack;
  let pool: Pool;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const post = (path: string, body: Record<string, string>) => call(path, { method: 'POST', headers: form, body: new URLSearchParams(body).toString() });
  const live = async <T extends KubeObject>(apiVersion: string, kind: string, name: string) =>
    unwrap(await getObject<T>(kube.client, { apiVersion, kind, metadata: { name, namespace: kube.namespace } }));
  type Secret = KubeObject & { data: Record<string, string> };
  type Deployment = KubeObject & { spec: { template: { spec: { containers: Array<{ image: string; args: string[]; env: Array<{ name: string; value: string }> }> } } } };
  const liveEnv = async () => (await live<Deployment>('apps/v1', 'Deployment', 'deployment-api')).spec.template.spec.containers[0]!.env;
  /** The config events' rows (base configs, image updates, patches), as text. */
  const configEvents = async () => (await pool.query<{ row: string }>(
    `SELECT data::text || metadata::text AS row FROM events WHERE type LIKE 'baseconfig.%' OR type LIKE 'patch.%' ORDER BY position`,
  )).rows.map((r) => r.row);
  /** Every event's row, as text. */
  const wholeLog = async () => (await pool.query<{ row: string }>('SELECT data::text || metadata::text AS row FROM events ORDER BY position')).rows.map((r) => r.row);
  const expectNoSecretIn = (texts: string[]) => {
    for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
  };

  beforeAll(async () => {
    kube = await createTestNamespace('ibsec');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    pool = createPool(stack.databaseUrl, { max: 2, schema: 'config' });
    // A patch that names no kind, applied before the Secret it targets exists.
    expect((await post('/patches/apply', { patch: `# target: db-credentials\nstringData:\n  early: ${EARLY}\n` })).status).toBe(200);
    const upload = await post('/base_configs', { release_version: '24.01.0', base_config: BASE });
    expect(upload.status).toBe(200);
    expect((await upload.json()).data.successful_apply.sort()).toEqual(['app-settings', 'db-credentials', 'deployment-api']);
  });
  afterAll(async () => {
    await pool.end();
    await stack.stop();
    await kube.dispose();
  });

  it('applies the uploaded values to the cluster, while no config event holds them', async () => {
    expect((await live<Secret>('v1', 'Secret', 'db-credentials')).data).toEqual({ password: b64(PASSWORD), username: b64(USERNAME), early: b64(EARLY) });
    expect((await live<KubeObject & { data: Record<string, string> }>('v1', 'ConfigMap', 'app-settings')).data.DATABASE_URL).toBe(`postgres://app:${URL_SECRET}@db:5432/app`);
    expect(await liveEnv()).toEqual([{ name: 'API_KEY', value: ENV_SECRET }, { name: 'LOG_FORMAT', value: 'json' }]);
    expect((await live<Deployment>('apps/v1', 'Deployment', 'deployment-api')).spec.template.spec.containers[0]!.args).toEqual(['--db-password', ARG_SECRET, '--port', '8080']);
    const events = await configEvents();
    expect(events).toHaveLength(2);
    expect(events[1]).toContain('slipway-sealed:');
    expect(events[1]).toContain('gcr.io/instabase-public/api:1.0');
    // The applied manifests recorded for drift (cluster.config-applied) too.
    const log = await wholeLog();
    expect(log.join('\n')).toContain('slipway-digest:');
    expectNoSecretIn(log);
  });

  it('applies patches holding secrets, recorded sealed too (one that names no kind but targets a Secret, one repeated in the description)', async () => {
    // The description repeats a value the patch keeps secret: sealed there too, hidden from readers.
    const patched = await post('/patches/apply', { patch: PATCHES, description: `rotated; old password=${DESCRIBED}; new key ${PATCHED_ENV}` });
    expect(patched.status).toBe(200);
    expect((await patched.json()).data.successful_apply.sort()).toEqual(['db-credentials', 'deployment-api']);
    expect((await live<Secret>('v1', 'Secret', 'db-credentials')).data).toEqual({ password: b64(PATCHED_PASSWORD), username: b64(USERNAME), session: b64(UNKINDED_TOKEN), early: b64(EARLY) });
    expect((await liveEnv())[0]).toEqual({ name: 'API_KEY', value: PATCHED_ENV });
    expectNoSecretIn(await wholeLog());
  });

  it('updates an image in a config holding a secret, which keeps its value', async () => {
    const image = await post('/base_configs/image', { image: 'gcr.io/instabase-public/api:1.1', object: 'deployment-api', comment: 'bump' });
    expect(image.status).toBe(200);
    expect((await call('/deployment/update', { method: 'POST' })).status).toBe(200);
    const container = (await live<Deployment>('apps/v1', 'Deployment', 'deployment-api')).spec.template.spec.containers[0]!;
    expect(container.image).toBe('gcr.io/instabase-public/api:1.1');
    expect(container.env[0]).toEqual({ name: 'API_KEY', value: PATCHED_ENV });
    expectNoSecretIn(await wholeLog());
  });

  it('reports drift of a secret value by its key, showing neither value', async () => {
    const drift = async () => (await call('/configs/k8s-inconsistencies')).json();
    const before = await drift();
    expect(before.consistentResources).toEqual(expect.arrayContaining(['db-credentials', 'deployment-api', 'app-settings']));
    // What `kubectl edit secret` does: another manager changes a value.
    const path = unwrap(await kube.client.http.resourcePath({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: kube.namespace } }, 'read'));
    unwrap(await kube.client.http.send({ method: 'PATCH', path, query: { fieldManager: 'kubectl-edit' }, contentType: 'application/merge-patch+json', body: JSON.stringify({ data: { password: b64('edited-by-hand-1') } }) }));
    const after = await drift();
    expect(after.inconsistentResources['db-credentials']).toEqual({ diffRows: [{ key: 'data.password', expected: '***', got: '*** (differs)' }] });
    expect(after.consistentResources).toEqual(expect.arrayContaining(['deployment-api', 'app-settings']));
    expectNoSecretIn([JSON.stringify(after)]);
    expect(JSON.stringify(after)).not.toContain(b64('edited-by-hand-1'));
  });

  it('records a changed upload once, and nothing for one equal to the stored one', async () => {
    const before = (await configEvents()).length;
    const text = BASE.replace('api:1.0', 'api:1.1').replace('LOG_LEVEL: INFO', 'LOG_LEVEL: DEBUG');
    expect((await post('/base_configs', { release_version: '24.01.0', base_config: text })).status).toBe(200);
    expect(await configEvents()).toHaveLength(before + 1);
    expect((await post('/base_configs', { release_version: '24.01.0', base_config: text })).status).toBe(200);
    expect(await configEvents()).toHaveLength(before + 1);
    expectNoSecretIn(await wholeLog());
  });

  it('answers the configs as they were uploaded and patched, values in place', async () => {
    const shown = JSON.stringify(await Promise.all([
      (await call('/configs/db-credentials')).json(), (await call('/configs/deployment-api')).json(), (await call('/configs/app-settings')).json(),
      (await call('/base_configs?object=db-credentials')).json(), (await call('/patches')).json(),
    ]));
    for (const value of [b64(PASSWORD), USERNAME, PATCHED_PASSWORD, PATCHED_ENV, URL_SECRET, UNKINDED_TOKEN, DESCRIBED, EARLY]) expect(shown).toContain(value);
    expect(shown).not.toContain('slipway-sealed:');
  });

  it('shows a reader without admin the configs and patches with their secrets hidden, and no search hit on a hidden value', async () => {
    const reader = 'config-reader-token-4e0b';
    await issueReadToken(stack, 'config-reader', reader);
    const read = async (path: string) => {
      const response = await callInstabase(stack, path, {}, reader);
      expect(response.status).toBe(200);
      return response.text();
    };
    const shown = (await Promise.all(['/configs', '/configs/db-credentials', '/configs/deployment-api', '/base_configs', '/patches', '/patches/db-credentials', '/patches/db-credentials/list'].map(read))).join('\n');
    expectNoSecretIn([shown]);
    expect(shown).toContain('[redacted]');
    expect(shown).toContain('LOG_FORMAT');
    expect(shown).toContain('--port');
    expect(shown).toContain('gcr.io/instabase-public/api:1.1');
    // A search for a hidden value finds nothing for the reader; the admin finds the patch.
    const search = (token: string) => callInstabase(stack, `/patches/search?query=${PATCHED_PASSWORD}&caseSensitive=true&limit=10`, {}, token);
    expect((await (await search(reader)).json()).patches).toEqual([]);
    expect((await (await search(stack.adminToken)).json()).patches).toHaveLength(1);
    expect((await (await callInstabase(stack, '/patches/search?query=stringData&caseSensitive=true&limit=10', {}, reader)).json()).patches).toHaveLength(3);
    // A hidden hit (the earlier patch's value early-session-…) takes no place of a visible one
    // (the later patch's key `session`): at limit=1 the reader gets the visible one.
    const first = (await (await callInstabase(stack, '/patches/search?query=session&caseSensitive=true&limit=1', {}, reader)).json()).patches;
    expect(first).toHaveLength(1);
    expect(first[0].patch).toBe('stringData:\n  session: [redacted]');
    // A value changed live to hold a secret (under a name that is no secret's) shows in drift hidden from the reader, whole to the admin.
    const settings = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-settings', namespace: kube.namespace } };
    const path = unwrap(await kube.client.http.resourcePath(settings, 'read'));
    const setLogLevel = async (value: string) => unwrap(await kube.client.http.send({
      method: 'PATCH', path, query: { fieldManager: 'kubectl-edit' }, contentType: 'application/merge-patch+json', body: JSON.stringify({ data: { LOG_LEVEL: value } }),
    }));
    const golden = (await live<KubeObject & { data: Record<string, string> }>('v1', 'ConfigMap', 'app-settings')).data.LOG_LEVEL!;
    await setLogLevel(`postgres://app:${LIVE_EDIT}@db:5432/app`);
    try {
      const drift = async (token: string) => (await (await callInstabase(stack, '/configs/k8s-inconsistencies', {}, token)).json()).inconsistentResources['app-settings'];
      expect(await drift(reader)).toEqual({ diffRows: [{ key: 'data.LOG_LEVEL', expected: golden, got: 'postgres://app:[redacted]@db:5432/app' }] });
      expect(await drift(stack.adminToken)).toEqual({ diffRows: [{ key: 'data.LOG_LEVEL', expected: golden, got: `postgres://app:${LIVE_EDIT}@db:5432/app` }] });
    } finally {
      await setLogLevel(golden);
    }
  });

  it('refuses a JSON patch that would copy a Secret\'s value out of its data (where readers see it hidden) or test it, storing nothing', async () => {
    const patches = async () => (await (await call('/patches')).json()).data;
    const before = await patches();
    for (const operation of [{ op: 'copy', from: '/data/password', path: '/metadata/annotations' }, { op: 'test', path: '/data/password', value: b64(PASSWORD) }]) {
      const refused = await post('/patches/apply', { patch: JSON.stringify({ kind: 'Secret', target: 'db-credentials', patch: [operation] }) });
      expect(refused.status).toBe(400);
      const { error } = await refused.json();
      expect(error).toContain(operation.op === 'copy' ? 'would copy a value readers see hidden from "/data/password"' : 'tests a value readers see hidden, at "/data/password"');
      expect(error).not.toContain(b64(PASSWORD));
    }
    expect(await patches()).toEqual(before);
  });

  it('refuses a JSON patch that would copy a value readers see hidden by its name to where they would see it, in a dry run too', async () => {
    const patches = async () => (await (await call('/patches')).json()).data;
    const before = await patches();
    const leak = [
      { op: 'add', path: '/metadata/annotations', value: {} },
      { op: 'copy', from: '/spec/template/spec/containers/0/env/0/value', path: '/metadata/annotations/x' },
    ];
    for (const dryRun of [true, false]) {
      const refused = await post('/patches/apply', { patch: JSON.stringify({ kind: 'Deployment', target: 'deployment-api', patch: leak }), ...(dryRun ? { dry_run: 'true' } : {}) });
      const body = await refused.json();
      expect({ dryRun, status: refused.status }).toEqual({ dryRun, status: 400 });
      expect(JSON.stringify(body)).toContain('would copy a value readers see hidden from \\"/spec/template/spec/containers/0/env/0/value\\"');
      expect(JSON.stringify(body)).not.toContain(ENV_SECRET);
    }
    // Copied to a place readers see hidden as well, it is taken.
    const kept = [{ op: 'copy', from: '/spec/template/spec/containers/0/env/0', path: '/spec/template/spec/containers/0/env/-' }];
    expect((await post('/patches/apply', { patch: JSON.stringify({ kind: 'Deployment', target: 'deployment-api', patch: kept }), dry_run: 'true' })).status).toBe(200);
    expect(await patches()).toEqual(before);
  });

  it('refuses a patch whose alias copies a secret where readers would see it, in a dry run too, naming the alias and quoting no secret', async () => {
    const patches = async () => (await (await call('/patches')).json()).data;
    const before = await patches();
    const aliased = '# target: app-settings\nkind: ConfigMap\ndata:\n  DB_PASSWORD: &pw aliased-pw-8d1e\n  NOTE: *pw\n';
    for (const dryRun of [true, false]) {
      const refused = await post('/patches/apply', { patch: aliased, ...(dryRun ? { dry_run: 'true' } : {}) });
      const body = JSON.stringify(await refused.json());
      expect({ dryRun, status: refused.status }).toEqual({ dryRun, status: 400 });
      expect(body).toContain('the alias *pw (line 4) copies a secret value to a place where it is not kept secret');
      expect(body).not.toContain('aliased-pw-8d1e');
    }
    expect(await patches()).toEqual(before);
  });

  it('refuses a base-config upload whose alias copies a secret where readers would see it, on each route (sync, async, an archive), naming the alias and quoting no secret (probe)', async () => {
    const ALIASED = 's3cr3t-probe-alias11';
    const stored = async () => (await call('/base_configs')).text();
    const before = await stored();
    const recorded = async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type LIKE 'baseconfig.%' OR type LIKE 'cluster.config-applied.%'`)).rows[0]!.n);
    const recordedBefore = await recorded();
    // The probe's text, and a Secret's value aliased into its labels, an env secret into a plain value and into args
    const texts: Array<[string, string]> = [
      [`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: al2\ndata:\n  db_password: &p ${ALIASED}\n  other: *p\n`, 'base_config: document 1 (line 1): the alias *p (line 7) copies a secret value to a place where it is not kept secret'],
      [`apiVersion: v1\nkind: Secret\nstringData:\n  password: &p ${ALIASED}\nmetadata:\n  name: al3\n  labels:\n    copy: *p\n`, 'the alias *p (line 8) copies a secret value'],
      [BASE.replace(`        args: ["--db-password", "${ARG_SECRET}", "--port", "8080"]\n`, '').replace(`value: ${ENV_SECRET}`, `value: &k ${ALIASED}`).replace('        - name: LOG_FORMAT\n          value: json\n', '        - name: LOG_FORMAT\n          value: *k\n        args: [--key, *k]\n'), 'base_config: document 3 (line 19): the alias *k (line 40) copies a secret value'],
    ];
    const zipped = (text: string) => {
      const body = new FormData();
      body.append('release_version', '24.03.0');
      body.append('file', new Blob([Buffer.from(zipSync({ 'configs/al.yaml': Buffer.from(text) }))]), 'configs.zip');
      return body;
    };
    const refusals: unknown[] = [];
    for (const [text, message] of texts) {
      const sync = await post('/base_configs', { release_version: '24.03.0', base_config: text });
      const body = await sync.json();
      expect({ status: sync.status, error: body.error }).toEqual({ status: 400, error: expect.stringContaining(message) });
      refusals.push(body);
      const accepted = await post('/base_configs/upload', { release_version: '24.03.0', base_config: text });
      const { data: { RequestID: requestId } } = await accepted.json();
      const result = await eventually(async () => {
        const response = await call(`/base_configs/upload/${requestId}`);
        expect(response.status).not.toBe(202);
        return { status: response.status, body: await response.json() };
      }, 30_000);
      expect(result).toMatchObject({ status: 400, body: { error: expect.stringContaining(message) } });
      refusals.push(result, await (await stack.request(`/api/v1/commands/${requestId}`)).json());
      const archived = await call('/base_configs', { method: 'POST', body: zipped(text) });
      const archive = await archived.json();
      expect({ status: archived.status, error: archive.error }).toEqual({ status: 400, error: expect.stringContaining(message.replace(/ \(line (\d+)\):/, ' (configs/al.yaml, line $1):')) });
      refusals.push(archive);
    }
    expect(JSON.stringify(refusals)).not.toContain(ALIASED);
    expectNoSecretIn([JSON.stringify(refusals)]);
    // Nothing stored, uploaded or applied; the value is nowhere in the log.
    expect(await stored()).toBe(before);
    expect(await recorded()).toBe(recordedBefore);
    expect((await wholeLog()).join('\n')).not.toContain(ALIASED);
    // The same alias where a secret goes is taken (another secret-named key).
    const kept = await post('/base_configs', { release_version: '24.03.0', base_config: texts[0]![0].replace('other: *p', 'other_password: *p') });
    expect(kept.status).toBe(200);
    expect(await (await callInstabase(stack, '/configs/al2', {}, stack.adminToken)).text()).toContain(ALIASED);
  });

  it('refuses text that holds a sealed token, naming the field', async () => {
    const response = await post('/patches/apply', { patch: '# target: app-settings\ndata:\n  COPY: slipway-sealed:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('slipway-sealed:');
  });

  it('never puts a secret back in place of a token sent through a rewrite: no registry can be one, nor a description', async () => {
    // Tokens are in the log for anyone to read.
    const [token] = (await wholeLog()).join('\n').match(/slipway-sealed:[A-Za-z0-9_-]{43}/g) ?? [];
    expect(token).toBeDefined();
    const refused = await post('/patches/registry', { registry: token! });
    expect({ status: refused.status, error: (await refused.json()).error }).toMatchObject({ status: 400, error: expect.stringContaining('must be an image registry') });
    const described = await post('/patches/registry', { registry: 'gcr.io/instabase-mirror', description: token! });
    expect({ status: described.status, error: (await described.json()).error }).toMatchObject({ status: 400, error: expect.stringContaining('description must not contain "slipway-sealed:"') });
  });

  it('records a rewrite\'s description sealed: a secret in it stays out of the log, and reads back whole', async () => {
    const description = `moved the mirror; old password=${REWRITE_DESCRIBED}`;
    expect((await post('/patches/registry', { registry: 'gcr.io/instabase-mirror-2', description })).status).toBe(200);
    expectNoSecretIn(await wholeLog());
    const rewrite = ((await (await call('/patches')).json()).data.patches as Array<{ target: string; description: string }>).filter((p) => p.target === '*').pop();
    expect(rewrite?.description).toBe(description);
  });

  it('keeps out of the log a password only the structure of a long file in a ConfigMap tells, the upload sealed on a worker (past 4 KiB it was recorded in the clear)', async () => {
    // The patterns read `pass\x77ord`; the file's YAML reads `password`.
    const file = `"pass\\x77ord": ${FILE_SECRET}\n${Array.from({ length: 3_000 }, (_, i) => `setting_${i}: value-${i}`).join('\n')}\n`;
    const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-file\ndata:\n  app.yaml: |\n${file.replace(/^(?=.)/gm, '    ')}`;
    expect(configMap.length).toBeGreaterThan(32 * 1024);
    const upload = await post('/base_configs', { release_version: '24.01.0', base_config: configMap });
    expect(upload.status).toBe(200);
    expect((await live<KubeObject & { data: Record<string, string> }>('v1', 'ConfigMap', 'app-file')).data['app.yaml']).toBe(file);
    // Recorded with the file sealed whole: it is one string holding a secret.
    const recorded = (await configEvents()).at(-1)!;
    expect(recorded).toContain('app-file');
    expect(recorded).toMatch(/app\.yaml: \\"slipway-sealed:/);
    for (const row of await wholeLog()) expect(row).not.toContain(FILE_SECRET);
  });

  it('keeps out of the log the secrets of XML and TOML files in a ConfigMap, applying them as written', async () => {
    // A description between the name and the value, as Hadoop's files write them (the probe's case).
    const coreSite = `<!DOCTYPE configuration [<!ENTITY pw "${ENTITY_SECRET}">]>\n<configuration>\n  <property>\n    <name>db.password</name>\n    <value>&pw;</value>\n  </property>\n  <property>\n    <name>fs.s3a.secret.key</name>\n    <description>S3 secret</description>\n    <value>${XML_SECRET}</value>\n  </property>\n</configuration>\n`;
    const toml = `[database]\nhost = "db"\npassword = \"\"\"\n${TOML_SECRET}\n\"\"\"\n[credentials]\nvalue = "${TABLE_SECRET}"\n`;
    const serverXml = `<Server>\n  <Connector port="8443" keystoreFile="conf/ks.jks" keystorePass="${KEYSTORE_SECRET}"/>\n</Server>\n`;
    const files = { 'core-site.xml': coreSite, 'app.toml': toml, 'server.xml': serverXml };
    const configMap = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-files' }, data: files });
    const upload = await post('/base_configs', { release_version: '24.01.0', base_config: configMap });
    expect(upload.status).toBe(200);
    expect((await live<KubeObject & { data: Record<string, string> }>('v1', 'ConfigMap', 'app-files')).data).toEqual(files);
    const recorded = (await configEvents()).at(-1)!;
    expect(recorded).toContain('app-files');
    for (const row of await wholeLog()) for (const secret of [XML_SECRET, TOML_SECRET, KEYSTORE_SECRET, TABLE_SECRET, ENTITY_SECRET]) expect(row).not.toContain(secret);
    // The admin reads the config back as uploaded; a reader sees the secrets hidden.
    const shownTo = async (token: string) => {
      const read = await callInstabase(stack, '/configs/app-files', {}, token);
      expect(read.status).toBe(200);
      return read.text();
    };
    const admin = await shownTo(stack.adminToken);
    for (const secret of [XML_SECRET, TOML_SECRET, KEYSTORE_SECRET, TABLE_SECRET, ENTITY_SECRET]) expect(admin).toContain(secret);
    expect(admin).not.toContain('slipway-sealed:');
    const reader = 'file-reader-token-93c1';
    await issueReadToken(stack, 'file-reader', reader);
    const shown = await shownTo(reader);
    for (const secret of [XML_SECRET, TOML_SECRET, KEYSTORE_SECRET, TABLE_SECRET, ENTITY_SECRET]) expect(shown).not.toContain(secret);
    expect(shown).toContain('S3 secret');
    expect(shown).toContain('keystoreFile');
  });

  it('keeps hidden from a reader a patch naming no kind that reached a Secret through a label, after the label is unbound (probe: shown in the clear then)', async () => {
    const reader = 'label-reader-token-71c3';
    await issueReadToken(stack, 'label-reader', reader);
    const shownTo = async (token: string) => {
      const patches = (await (await callInstabase(stack, '/patches', {}, token)).json()).data.patches as Array<{ target: string; patch: string }>;
      return patches.filter((p) => p.target === 'rotating').map((p) => p.patch);
    };
    const found = async (token: string) => (await (await callInstabase(stack, `/patches/search?query=${LABELLED}&caseSensitive=true&limit=10`, {}, token)).json()).patches;
    expect((await post('/resource_labels/binding', { label: 'rotating', object_name: 'db-credentials' })).status).toBe(200);
    expect((await post('/patches/apply', { patch: `# target: rotating\nstringData:\n  rotated: ${LABELLED}\n` })).status).toBe(200);
    expect(Buffer.from((await live<Secret>('v1', 'Secret', 'db-credentials')).data.rotated!, 'base64').toString()).toBe(LABELLED);
    expect(await shownTo(reader)).toEqual(['stringData:\n  rotated: [redacted]']);

    expect((await call('/resource_labels/binding/db-credentials', { method: 'DELETE' })).status).toBe(200);

    expect(await shownTo(reader)).toEqual(['stringData:\n  rotated: [redacted]']);
    expect(await found(reader)).toEqual([]);
    expect(await shownTo(stack.adminToken)).toEqual([`stringData:\n  rotated: ${LABELLED}`]);
    expect(await found(stack.adminToken)).toHaveLength(1);
  });

  it('replays the configs equal to the live ones, from the sealed log and the values beside it', async () => {
    const reports = await replayAll(stack.databaseUrl);
    expect(reports.find((r) => r.projection === 'config_store')).toMatchObject({ equal: true });
  });
});
