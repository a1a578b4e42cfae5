import { eventually } from '@slipway/testing';
import { replayAll } from '../../telemetry/src/replay/replay';
import { NOTHING_APPLIED } from './instabase-fixtures';
import { startStack, type Stack } from './stack';

/**
 * The Instabase Deployment Manager document's (../shared/seeds/004) request examples,
 * sent as its Python and curl examples send them, through the gateway.
 */
const ROOT = '/api/v1/control_plane';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: deployment-core-platform-service
  namespace: instabase
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: core-platform-service
        image: gcr.io/instabase-public/core-platform-service:23.07.0
      - name: stats-collector
        image: gcr.io/instabase-public/stats-collector:1.0
---
apiVersion: v1
kind: Service
metadata:
  name: service-victoriametrics
  namespace: instabase
  labels:
    app: victoriametrics
spec:
  selector:
    app: victoriametrics
  ports:
  - name: http
    protocol: TCP
    port: 8428
    targetPort: http
  clusterIP: None
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hot-configs
  namespace: instabase
data:
  LOG_LEVEL: INFO
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: some-network-policy
spec:
  podSelector: {}
  egress:
  - ports:
    - protocol: TCP
      port: 53
  - ports:
    - protocol: TCP
      port: 443
`;

const REPLICAS_PATCH = `# target: deployment-core-platform-service
apiVersion: apps/v1
kind: Deployment
spec:
  replicas: 3
`;

describe('Instabase Deployment Manager dialect', () => {
  let stack: Stack;
  let token: string;
  const call = (path: string, init: RequestInit = {}) =>
    stack.request(`${ROOT}${path}`, { ...init, headers: { authorization: '', Token: token, ...(init.headers as Record<string, string> | undefined) } });
  const post = (path: string, body: string, headers: Record<string, string> = {}) => call(path, { method: 'POST', body, headers });

  beforeAll(async () => {
    // A bound no write here reaches: each asserts its final answer (200), none a 202, and a
    // loaded CI machine took over a second for a create (platform-events; 1.5 s was the bound).
    stack = await startStack({ commandWaitMs: 20_000 });
    token = stack.adminToken;
  });
  afterAll(() => stack.stop());

  it('sets up the Deployment Manager (GET /setup), and reports it (POST and GET /setup/status)', async () => {
    expect(await (await call('/setup/status', { method: 'POST' })).json()).toEqual({ isSetup: false });
    const setup = await call('/setup');
    expect(setup.status).toBe(200);
    expect(await setup.json()).toEqual({ status: 'OK' });
    expect(await (await call('/setup/status')).json()).toEqual({ isSetup: true });
  });

  it('uploads base configs (the Python example: JSON text under the form content type)', async () => {
    const response = await post('/base_configs', JSON.stringify({ release_version: '23.07.0', base_config: BASE }), form);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ statusCode: 200, error: null, data: { successful_apply: [] } });
    expect(body.data.materialized.sort()).toEqual(['deployment-core-platform-service', 'hot-configs', 'service-victoriametrics', 'some-network-policy']);

    const versions = await (await call('/base_configs/versions')).json();
    expect(versions.baseConfigVersions).toContainEqual({ objectName: 'hot-configs', Versions: ['23.07.0'], versions: ['23.07.0'] });
    expect(await (await call('/base_configs/deployment-core-platform-service/versions')).json()).toEqual({ versions: ['23.07.0'] });
    expect(await (await call('/base_configs/deployment-core-platform-service/containers')).json())
      .toEqual({ statusCode: 200, data: ['core-platform-service', 'stats-collector'], error: null });
    expect(await (await call('/platform/version')).json()).toEqual({ statusCode: 200, data: { release_version: '23.07.0' }, error: null });
  });

  it('serves the materialized config of an object as the document shows it', async () => {
    const config = await (await call('/configs/service-victoriametrics')).json();
    expect(config).toMatchObject({
      objectName: 'service-victoriametrics', releaseVersion: '23.07.0', patchVersion: 0, previousReleaseVersion: '', previousPatchVersion: 0,
      state: 'NOT_GOLDEN', metadata: '{"type":"Service","isEncrypted":false}',
    });
    expect(config.config).toContain('port: 8428');
    expect(typeof config.timestampMS).toBe('number');
    const documented = ['objectName', 'releaseVersion', 'patchVersion', 'previousReleaseVersion', 'previousPatchVersion', 'state', 'config', 'metadata', 'timestampMS'];
    expect(Object.keys(config).sort()).toEqual(documented.sort());
    const all = await (await call('/configs')).json();
    for (const listed of all.configs) expect(Object.keys(listed).sort()).toEqual(documented.sort());
    expect(all.configs.map((c: { objectName: string }) => c.objectName).sort()).toEqual(['deployment-core-platform-service', 'hot-configs', 'service-victoriametrics', 'some-network-policy']);
  });

  it('dry-runs a patch for an object and a target that matches nothing, storing nothing', async () => {
    const text = `${REPLICAS_PATCH}---\n# target: object-2\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n`;
    const response = await post('/patches/apply', new URLSearchParams({ patch: text, dry_run: 'true' }).toString(), form);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.statusCode).toBe(200);
    expect(body.data.dryRuns).toHaveLength(2);
    expect(body.data.dryRuns[0]).toMatchObject({ message: null, dryRun: { objectName: 'deployment-core-platform-service', releaseVersion: '23.07.0', patchVersion: null, state: null } });
    expect(body.data.dryRuns[0].dryRun.config).toContain('replicas: 3');
    expect(body.data.dryRuns[1]).toEqual({
      message: "Target 'object-2' is a nonexistent object. If you apply a patch to this target there will be no configuration file associated with it until an object called 'object-2' is created.",
      dryRun: null,
    });
    expect((await (await call('/patches')).json()).data.patches).toEqual([]);
  });

  let replicasVersion = 0;
  it('applies a patch (string example), lists it, and re-materializes the object', async () => {
    const response = await post('/patches/apply', new URLSearchParams({ patch: REPLICAS_PATCH, description: 'This patch updates the number of replicas for the given service' }).toString(), form);
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({ successful_apply: [], materialized: ['deployment-core-platform-service'] });
    const patches = (await (await call('/patches')).json()).data.patches;
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({ target: 'deployment-core-platform-service', state: 'NOT_GOLDEN', nextVersion: null, description: 'This patch updates the number of replicas for the given service' });
    expect(patches[0].patch).not.toContain('# target');
    expect(JSON.parse(patches[0].metadata)).toMatchObject({ type: 'Deployment', isEncrypted: false, format: 'YAML' });
    replicasVersion = patches[0].version;
    expect(Number.isInteger(replicasVersion)).toBe(true);
    const config = await (await call('/configs/deployment-core-platform-service')).json();
    expect(config).toMatchObject({ patchVersion: replicasVersion, previousPatchVersion: 0, previousReleaseVersion: '23.07.0' });
    expect(config.config).toContain('replicas: 3');
    const around = await (await call(`/configs/previous/deployment-core-platform-service/${replicasVersion}`)).json();
    expect(around.data.prev_config).toContain('replicas: 1');
    expect(around.data.new_config).toContain('replicas: 3');
  });

  it('refuses a binding that would bring a stored patch the API server could not take to an object, as a new patch is refused, or a label named like an object, binding nothing, and an upload so too (probe: it answered 500 at the push)', async () => {
    const stored = await post('/patches/apply', new URLSearchParams({ patch: '# target: links-off\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      enableServiceLinks: "no"\n' }).toString(), form);
    expect({ status: stored.status, materialized: (await stored.json()).data.materialized }).toEqual({ status: 200, materialized: [] });
    const bind = await post('/resource_labels/binding', 'label=links-off&object_name=deployment-core-platform-service', form);
    const body = await bind.json();
    expect({ status: bind.status, statusCode: body.statusCode, data: body.data }).toEqual({ status: 400, statusCode: 400, data: { successful_apply: [], failed_to_apply: [] } });
    expect(body.error).toMatch(/^the binding would bring stored patch \d+ to an object it does not fit, and is checked as a new patch is: patch does not apply to "deployment-core-platform-service": spec\.template\.spec\.enableServiceLinks must be true or false/);
    expect(await (await call('/resource_labels/labels/deployment-core-platform-service')).json()).toEqual({ labels: ['Deployment'] });
    // a label named like an object would take that object's patches along
    const named = await post('/resource_labels/binding', 'label=hot-configs&object_name=deployment-core-platform-service', form);
    expect({ status: named.status, error: (await named.json()).error }).toEqual({ status: 400, error: expect.stringContaining('label "hot-configs" is the name of an object') });
    expect(await (await call('/resource_labels/labels/deployment-core-platform-service')).json()).toEqual({ labels: ['Deployment'] });
    // an upload is checked so too: a new object the stored patch would reach, and one named like a label bound to others (review)
    expect((await post('/resource_labels/binding', 'label=links-off&object_name=future-web', form)).status).toBe(200);
    expect((await post('/resource_labels/binding', 'label=cache-tier&object_name=other-service', form)).status).toBe(200);
    const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: registry.example/web:1\n`;
    for (const [name, error] of [['future-web', /^stored patch \d+ would reach an uploaded object it does not fit, and is checked as a new patch is: patch does not apply to "future-web": spec\.template\.spec\.enableServiceLinks/], ['cache-tier', /^object "cache-tier" has the name of a label bound to other objects/]] as const) {
      const refused = await post('/base_configs', new URLSearchParams({ release_version: '23.07.0', base_config: deployment(name) }).toString(), form);
      expect({ status: refused.status, error: (await refused.json()).error }).toEqual({ status: 400, error: expect.stringMatching(error) });
      expect((await call(`/configs/${name}`)).status).toBe(404);
    }
    expect((await call('/resource_labels/binding/future-web', { method: 'DELETE' })).status).toBe(200);
    expect((await call('/resource_labels/binding/other-service', { method: 'DELETE' })).status).toBe(200);
  });

  it('applies the document\'s JSON patch example through a label, as a multipart file', async () => {
    const bind = await post('/resource_labels/binding', 'label=database&label=grpc&object_name=hot-configs&object_name=deployment-b-service', form);
    expect(bind.status).toBe(200);
    expect(await (await call('/resource_labels/labels/hot-configs')).json()).toEqual({ labels: ['ConfigMap', 'database', 'grpc'] });
    expect(await (await call('/resource_labels/objects/database?must_exist=false')).json()).toEqual({ objects: ['deployment-b-service', 'hot-configs'] });
    expect(await (await call('/resource_labels/objects/database?must_exist=true')).json()).toEqual({ objects: ['hot-configs'] });
    const labels = await (await call('/resource_labels')).json();
    expect(labels).toEqual({ statusCode: 200, data: { labels: ['ConfigMap', 'Deployment', 'NetworkPolicy', 'Service', 'database', 'grpc'] }, error: null });

    const patch = JSON.stringify({ comment: 'Raise the log level', kind: 'ConfigMap', target: 'database', patch: [{ op: 'replace', path: '/data/LOG_LEVEL', value: 'ERROR' }] });
    const boundary = 'b0undary';
    const body = [`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="patch.json"', 'Content-Type: application/octet-stream', '', patch,
      `--${boundary}`, 'Content-Disposition: form-data; name="description"', '', 'log level', `--${boundary}--`, ''].join('\r\n');
    const response = await post('/patches/apply', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(200);
    expect((await response.json()).data.materialized).toEqual(['hot-configs']);
    expect((await (await call('/configs/hot-configs')).json()).config).toContain('LOG_LEVEL: ERROR');
    const forObject = await (await call('/patches/hot-configs/list')).json();
    expect(forObject.data.patches).toEqual([{ version: expect.any(Number), target: 'database', description: 'log level' }]);
  });

  it('applies the document\'s JSON patch example verbatim (target inside the JSON)', async () => {
    const example = `{
  "comment": "Open new egress port for external service",
  "kind": "NetworkPolicy",
  "target": "some-network-policy",
  "patch": [
    {
      "op": "add",
      "path": "/spec/egress/1/ports/-",
      "value": {
        "protocol": "TCP",
        "port": 9999
      }
    }
  ]
}`;
    const response = await post('/patches/apply', new URLSearchParams({ patch: example }).toString(), form);
    expect(response.status).toBe(200);
    expect((await response.json()).data.materialized).toEqual(['some-network-policy']);
    const config = (await (await call('/configs/some-network-policy')).json()).config;
    expect(config).toMatch(/port: 443\n\s+- protocol: TCP\n\s+port: 9999/);
  });

  it('searches patches by keyword (the document\'s query strings)', async () => {
    const found = await (await call('/patches/search?query=LOG_LEVEL&caseSensitive=true&limit=10')).json();
    expect(found.patches).toHaveLength(1);
    expect(typeof found.patches[0].version).toBe('string');
    expect(found.patches[0].target).toBe('database');
    expect((await (await call('/patches/search?query=log_level&caseSensitive=true&limit=10')).json()).patches).toHaveLength(0);
    expect((await (await call('/patches/search?query=log_level&caseSensitive=false&limit=10')).json()).patches).toHaveLength(1);
    const missing = await call('/patches/search?query=x&limit=1');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ statusCode: 400, data: null, error: 'caseSensitive is required' });
    // A limit is a most: one past the store's bound, however many digits it has, answers what the store gives.
    for (const limit of ['10001', '99999999999']) {
      const past = await call(`/patches/search?query=LOG_LEVEL&caseSensitive=true&limit=${limit}`);
      expect({ status: past.status, found: (await past.json()).patches?.length }).toEqual({ status: 200, found: 1 });
    }
    const none = await call('/patches/search?query=x&caseSensitive=true&limit=0');
    expect({ status: none.status, error: (await none.json()).error }).toEqual({ status: 400, error: expect.stringMatching(/^limit: .*at least 1/) });
  });

  it('searches without case in any script, whatever the database\'s collation (Postgres\'s C folds A to Z alone)', async () => {
    const patch = '# target: database\ndata:\n  GREETING: "STRASSE ÉCOLE ΣΟΦΊΑ"';
    expect((await post('/patches/apply', new URLSearchParams({ patch, description: 'greeting' }).toString(), form)).status).toBe(200);
    const found = async (query: string, caseSensitive: boolean, limit = 10) =>
      (await (await call(`/patches/search?query=${encodeURIComponent(query)}&caseSensitive=${caseSensitive}&limit=${limit}`)).json()).patches.length as number;
    expect(await Promise.all([found('écol', false), found('σοφία', false), found('ÉCOL', true), found('écol', true)])).toEqual([1, 1, 1, 0]);
    // ASCII text is searched as before, the limit holding
    expect(await Promise.all([found('log_level', false), found('target', false, 1)])).toEqual([1, 1]);
  });

  it('deletes a patch and the object re-materializes without it', async () => {
    const response = await call(`/patches/${replicasVersion}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect((await response.json()).data.materialized).toEqual(['deployment-core-platform-service']);
    const config = await (await call('/configs/deployment-core-platform-service')).json();
    expect(config.config).toContain('replicas: 1');
    expect(config.previousPatchVersion).toBe(replicasVersion);
    const again = await call(`/patches/${replicasVersion}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect((await again.json()).error).toContain(`patch version ${replicasVersion} not found`);
  });

  it('sets the namespace and the registry of every config (recorded as patches)', async () => {
    expect((await post('/patches/namespace', JSON.stringify({ namespace: 'instabase', description: 'The namespace for the new cluster.' }))).status).toBe(200);
    const ns = await post('/patches/namespace', JSON.stringify({ namespace: 'ib-prod' }));
    expect((await ns.json()).data.materialized.sort()).toEqual(['deployment-core-platform-service', 'hot-configs', 'service-victoriametrics', 'some-network-policy']);
    const registry = await post('/patches/registry', JSON.stringify({ registry: 'registry.example.com/ib' }));
    expect((await registry.json()).data.materialized).toEqual(['deployment-core-platform-service']);
    const config = (await (await call('/configs/deployment-core-platform-service')).json()).config;
    expect(config).toContain('namespace: ib-prod');
    expect(config).toContain('image: registry.example.com/ib/core-platform-service:23.07.0');
  });

  it('updates a base config image (form) and records the upgrade history with its creator', async () => {
    const response = await post('/base_configs/image', 'image=gcr.io/instabase-public/stats-collector:2.0&object=deployment-core-platform-service&comment=numpy-package-update&container=stats-collector', form);
    expect(response.status).toBe(200);
    const base = await (await call('/base_configs?object=deployment-core-platform-service')).json();
    expect(base.data.baseConfigs[0]).toMatchObject({ object_name: 'deployment-core-platform-service', version: '23.07.0', previous_version: '' });
    expect(base.data.baseConfigs[0].config).toContain('stats-collector:2.0');
    const bad = await post('/base_configs/image', 'image=x:1&object=deployment-core-platform-service&comment=has spaces!', form);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('comment');
    await post('/base_configs', new URLSearchParams({ release_version: '23.10.1', base_config: BASE.replace('replicas: 1', 'replicas: 2') }).toString(), form);
    const history = await (await call('/base_configs/history?limit=50&offset=0')).json();
    expect(history.data.upgrades.map((u: { version: string }) => u.version)).toEqual(['23.07.0', '23.10.1']);
    expect(history.data.upgrades[0].creators).toEqual(['admin']);
    expect(history.data.upgrades[0].createdAtTimestampMS).toBeGreaterThan(1_600_000_000_000);
    expect((await (await call('/platform/version')).json()).data.release_version).toBe('23.10.1');
    const config = await (await call('/configs/deployment-core-platform-service')).json();
    expect(config).toMatchObject({ releaseVersion: '23.10.1', previousReleaseVersion: '23.07.0' });
  });

  it('serves the rest of the document\'s examples as they are written', async () => {
    // base_configs/image, the Python example: JSON text under the form content type
    const image = await post('/base_configs/image', JSON.stringify({
      image: 'gcr.io/instabase-public/stats-collector:2.1', object: 'deployment-core-platform-service', comment: 'numpy-package-update', container: 'stats-collector',
    }), form);
    expect(image.status).toBe(200);
    expect((await (await call('/configs/deployment-core-platform-service')).json()).config).toContain('stats-collector:2.1');

    // resource_labels/binding, the Python example: every label bound to every object
    const bind = await post('/resource_labels/binding', 'label=database&label=grpc&object_name=deployment-a-service&object_name=deployment-b-service&object_name=deployment-c-service', form);
    expect(bind.status).toBe(200);
    for (const object of ['deployment-a-service', 'deployment-b-service', 'deployment-c-service']) {
      expect(await (await call(`/resource_labels/labels/${object}`)).json()).toEqual({ labels: ['database', 'grpc'] });
    }
    // DELETE resource_labels/binding/OBJECT_NAME: that object has no labels left, the others keep theirs
    expect((await call('/resource_labels/binding/deployment-a-service', { method: 'DELETE' })).status).toBe(200);
    expect(await (await call('/resource_labels/labels/deployment-a-service')).json()).toEqual({ labels: [] });
    expect(await (await call('/resource_labels/labels/deployment-c-service')).json()).toEqual({ labels: ['database', 'grpc'] });
    // POST resource_labels/update-defaults: every object carries its kind's default label again
    expect((await call('/resource_labels/binding/hot-configs', { method: 'DELETE' })).status).toBe(200);
    expect((await (await call('/resource_labels/labels/hot-configs')).json()).labels).not.toContain('ConfigMap');
    expect((await call('/resource_labels/update-defaults', { method: 'POST' })).status).toBe(200);
    expect((await (await call('/resource_labels/labels/hot-configs')).json()).labels).toContain('ConfigMap');
    // POST resource_labels (the example's method) lists the same labels as GET
    expect(await (await call('/resource_labels', { method: 'POST' })).json()).toEqual(await (await call('/resource_labels')).json());

    // patches/search with the document's second query string ("+" is a space) finds a YAML patch saying so
    const quiet = '# target: hot-configs\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hot-configs\ndata:\n  LOG_LEVEL: ERROR\n';
    expect((await post('/patches/apply', new URLSearchParams({ patch: quiet, description: 'quieter logs' }).toString(), form)).status).toBe(200);
    const search = await call('/patches/search?query=LOG_LEVEL:+ERROR&caseSensitive=true&limit=10');
    expect(search.status).toBe(200);
    const found = (await search.json()).patches as Array<{ patch: string; description: string }>;
    expect(found.map((p) => p.description)).toEqual(['quieter logs']);
    // base_configs/history with the document's offset: past the two releases there are none
    const history = await call('/base_configs/history?limit=50&offset=10');
    expect(history.status).toBe(200);
    expect((await history.json()).data.upgrades).toEqual([]);
  });

  it('serves settings and refuses an incomplete update', async () => {
    const got = await (await call('/settings')).json();
    expect(got).toMatchObject({ statusCode: 200, error: null, data: { settings: { isDocsEnabled: 'false' } } });
    const changed = { ...got, data: { settings: { ...got.data.settings, isDocsEnabled: 'true' } } };
    const updated = await post('/settings', JSON.stringify(changed));
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({ updatedConfigs: { successful_apply: [], failed_to_apply: [] } });
    expect((await (await call('/settings')).json()).data.settings.isDocsEnabled).toBe('true');
    // what GET answers as YAML is taken back as it came
    const asYaml = await (await call('/settings', { headers: { accept: 'application/yaml' } })).text();
    const sentBack = await call('/settings', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: asYaml.replace("isDocsEnabled: 'true'", "isDocsEnabled: 'false'").replace('isDocsEnabled: "true"', 'isDocsEnabled: "false"') });
    expect(sentBack.status).toBe(200);
    expect((await (await call('/settings')).json()).data.settings.isDocsEnabled).toBe('false');
    const partial = await post('/settings', JSON.stringify({ data: { settings: { isDocsEnabled: 'false' } } }));
    expect(partial.status).toBe(400);
    expect((await partial.json()).error).toContain('missing');
  });

  it('initialises the database once, and returns the DDL the migrations run', async () => {
    const options = { create_admin_account: 'true', admin_email: 'admin@email.com', admin_username: 'admin', enable_control_plane: 'false', enable_key_service: 'false', enable_models: 'false' };
    const first = await post('/database/setup', JSON.stringify(options));
    expect(await first.json()).toEqual({ status: 'OK' });
    const second = await post('/database/setup', JSON.stringify(options));
    expect(second.status).toBe(409);
    expect((await second.json()).error).toBe('Tables have already been set up');
    const ddl = await (await post('/database/mock_ddl', JSON.stringify({ ...options, enable_ml_studio: 'false', enable_model_registry_pv: 'false' }))).json();
    expect(ddl.ddls).toContainEqual(expect.stringContaining('CREATE TABLE config.patches'));
    expect((await call('/database/connection')).status).toBe(200);
  });

  it('refuses bad input with a 4xx in the envelope, naming the problem, and stores nothing', async () => {
    const before = (await (await call('/patches')).json()).data.patches.length;
    const cases: Array<[string, string, Record<string, string>, string]> = [
      ['/patches/apply', new URLSearchParams({ patch: 'apiVersion: v1\nkind: ConfigMap\n' }).toString(), form, 'target'],
      ['/patches/apply', new URLSearchParams({ patch: '# target: hot-configs\n{"kind":"ConfigMap","patch":[{"op":"replace","path":"/nope/x","value":1}]}' }).toString(), form, 'hot-configs'],
      ['/patches/apply', new URLSearchParams({ patch: '# target: hot-configs\na: *x\n' }).toString(), form, 'YAML'],
      ['/base_configs', new URLSearchParams({ release_version: '1.0', base_config: 'kind: Deployment\nmetadata:\n  name: x\n' }).toString(), form, 'apiVersion'],
      ['/base_configs', new URLSearchParams({ base_config: BASE }).toString(), form, 'release_version'],
      ['/base_configs', new URLSearchParams({ release_version: '1.0', base_config: `a: &a [x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n')}\n` }).toString(), form, 'alias'],
      ['/resourcing/cluster/huge', '', {}, 'standard, large, x-large'],
      ['/resource_labels/binding', 'label=database', form, 'object_name'],
    ];
    for (const [path, body, headers, mention] of cases) {
      const response = await post(path, body, headers);
      const json = await response.json();
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      // A write that answers what it applied carries the document's failure data; a push route, null.
      expect(json).toMatchObject({ statusCode: 400, data: path.startsWith('/resourcing/') ? null : NOTHING_APPLIED });
      expect(json.error).toContain(mention);
    }
    expect((await (await call('/patches')).json()).data.patches.length).toBe(before);
    expect((await call('/configs/nothing-here')).status).toBe(404);
    expect((await stack.request(`${ROOT}/patches`, { headers: { authorization: '', Token: 'wrong' } })).status).toBe(401);
  });

  it('uploads asynchronously: a RequestID, then the result', async () => {
    const response = await post('/base_configs/upload', new URLSearchParams({ release_version: '23.10.2', base_config: BASE }).toString(), form);
    const body = await response.json();
    expect(body).toMatchObject({ status_code: 200, statusCode: 200, data: { RequestID: expect.any(String) } });
    // Handled in the background: polled until it is no longer 202 (a push to the cluster may take a while).
    const result = await eventually(async () => {
      const r = await call(`/base_configs/upload/${body.data.RequestID}`);
      const polled = { status: r.status, json: await r.json() };
      expect(polled.status).not.toBe(202);
      return polled;
    }, 60_000, 100);
    expect(result).toMatchObject({ status: 200, json: { statusCode: 200, data: { successful_apply: [] } } });
    expect((await (await call('/platform/version')).json()).data.release_version).toBe('23.10.2');
  });

  it('answers a retried multipart upload with the same Idempotency-Key as the first (each try has its own boundary)', async () => {
    const send = () => {
      const form = new FormData();
      form.set('release_version', '23.10.3');
      form.set('file', new Blob([BASE], { type: 'application/yaml' }), 'configs.yaml');
      return call('/base_configs/upload', { method: 'POST', body: form, headers: { 'idempotency-key': 'upload-23.10.3' } });
    };
    const first = await (await send()).json();
    const retry = await (await send()).json();
    expect(first.data.RequestID).toMatch(/^idem-[0-9a-f]{40}$/);
    expect(retry.data.RequestID).toBe(first.data.RequestID);
  });

  it('refuses an asynchronous upload under an Idempotency-Key already used with another body, naming the header', async () => {
    const send = (release: string) => {
      const form = new FormData();
      form.set('release_version', release);
      form.set('file', new Blob([BASE], { type: 'application/yaml' }), 'configs.yaml');
      return call('/base_configs/upload', { method: 'POST', body: form, headers: { 'idempotency-key': 'upload-reused' } });
    };
    // (the document answers an upload at once with its RequestID, handled in the background)
    const first = await send('23.10.4');
    expect(first.status).toBe(200);
    expect((await first.json()).data.RequestID).toMatch(/^idem-[0-9a-f]{40}$/);
    const other = await send('23.10.5');
    expect({ status: other.status, body: await other.json() }).toEqual({ status: 400, body: {
      statusCode: 400, data: null, error: expect.stringContaining('Idempotency-Key was used before for this endpoint with another request body'),
    } });
  });

  it('replays the config-store projection from position 0 equal to the live one', async () => {
    const reports = await replayAll(stack.databaseUrl);
    const config = reports.find((r) => r.projection === 'config_store');
    expect(config).toMatchObject({ equal: true });
    expect(config!.events).toBeGreaterThan(10);
  });

  it('names in a write\'s answer the stored patches it leaves not applying: a JSON patch whose test held only with a patch now deleted', async () => {
    const base = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dependent-cm\ndata:\n  n: "0"\n';
    expect((await post('/base_configs', new URLSearchParams({ release_version: '23.07.0', base_config: base }).toString(), form)).status).toBe(200);
    const apply = async (patch: string) => (await post('/patches/apply', new URLSearchParams({ patch }).toString(), form)).status;
    expect(await apply('# target: dependent-cm\ndata:\n  n: "2"\n')).toBe(200);
    expect(await apply('# target: dependent-cm\n{"kind":"ConfigMap","patch":[{"op":"test","path":"/data/n","value":"2"},{"op":"add","path":"/data/fromB","value":"yes"}]}')).toBe(200);
    // Its own patches (the namespace patches of every object are listed too).
    const versions = async () => ((await (await call('/patches/dependent-cm')).json()).data.patches as Array<{ version: number; state: string; target: string }>)
      .filter((patch) => patch.target === 'dependent-cm').sort((x, y) => x.version - y.version);
    const [first, second] = await versions();

    const deleted = await call(`/patches/${first!.version}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await deleted.json()).data).toMatchObject({ materialized: ['dependent-cm'], patches_not_applied: [{ version: second!.version, object_name: 'dependent-cm' }] });
    expect(await versions()).toEqual([expect.objectContaining({ version: second!.version, state: 'NOT_GOLDEN' })]);
  });
});
