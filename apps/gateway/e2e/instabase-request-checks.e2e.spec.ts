import { Bus, CommandBus } from '@slipway/bus';
import { ApplyPatches, IssueToken, SetUpDeploymentManager, hashToken, type Actor } from '@slipway/contracts';
import { natsUrl } from '@slipway/testing';
import { NOTHING_APPLIED } from './instabase-fixtures';
import { startStack, type LooseResponse, type Stack } from './stack';

/**
 * What the Instabase routes check before they act: which ids the asynchronous upload
 * result answers for, who may apply a patch before its body is read, and paths the router
 * cannot decode — refused in each dialect's envelope.
 */
const ROOT = '/api/v1/control_plane';
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const ADMIN: Actor = { principal: 'admin', kind: 'token' };
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: checked-settings\ndata:\n  LOG_LEVEL: INFO\n';

describe('Instabase request checks', () => {
  let stack: Stack;
  let bus: Bus;
  let commands: CommandBus;
  const call = (path: string, init: RequestInit = {}, token = stack.adminToken) =>
    stack.request(`${ROOT}${path}`, { ...init, headers: { authorization: '', Token: token, ...(init.headers as Record<string, string> | undefined) } });
  const answer = async (response: LooseResponse) => ({ status: response.status, body: await response.json() });

  beforeAll(async () => {
    stack = await startStack({ commandWaitMs: 5_000 });
    bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    commands = new CommandBus(bus);
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '1.0', base_config: CONFIG_MAP }).toString() });
    expect(upload.status).toBe(200);
  });
  afterAll(async () => {
    await bus?.close();
    await stack?.stop();
  });

  describe('GET base_configs/upload/{request_id}', () => {
    const notAnUpload = (id: string) => ({ status: 404, body: { statusCode: 404, data: NOTHING_APPLIED, error: `no asynchronous upload with RequestID "${id}"` } });

    it('does not answer for a command that is not an upload (GET /setup)', async () => {
      const setUp = await commands.send(SetUpDeploymentManager, {}, { actor: ADMIN, waitMs: 20_000 });
      expect(setUp.status).toBe('completed');
      expect(await answer(await call(`/base_configs/upload/${setUp.commandId}`))).toEqual(notAnUpload(setUp.commandId));
    });

    it('does not answer for a patch write', async () => {
      const text = '# target: checked-settings\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: DEBUG\n';
      const patched = await commands.send(ApplyPatches, { text, description: '' }, { actor: ADMIN, waitMs: 20_000 });
      expect(patched).toMatchObject({ status: 'completed', reply: { ok: true, value: { materialized: ['checked-settings'] } } });
      expect(await answer(await call(`/base_configs/upload/${patched.commandId}`))).toEqual(notAnUpload(patched.commandId));
    });

    it('answers 404 naming RequestID for an id of the upload form that no upload was given', async () => {
      for (const id of ['7b0d2c4e-4f1a-4c55-9a43-2f3c8e9d1a77', `idem-${'ab12'.repeat(10)}`]) {
        expect(await answer(await call(`/base_configs/upload/${id}`))).toEqual(notAnUpload(id));
      }
    });

    it('answers 404 for an id that no upload can have, naming RequestID', async () => {
      for (const id of ['1a2b3c', 'not-a-request', `${'7b0d2c4e-4f1a-4c55-9a43-2f3c8e9d1a77'}-push`]) {
        const refused = await answer(await call(`/base_configs/upload/${id}`));
        expect(refused).toMatchObject({ status: 404, body: { statusCode: 404, data: NOTHING_APPLIED } });
        expect(refused.body.error).toContain('RequestID');
        expect(refused.body.error).toContain(id);
      }
    });
  });

  describe('POST patches/apply', () => {
    const malformed = { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'not multipart at all' };

    it('asks for a token before reading the body: 401 without one, even for a malformed body', async () => {
      expect(await answer(await call('/patches/apply', malformed, ''))).toEqual({
        status: 401, body: { statusCode: 401, data: NOTHING_APPLIED, error: 'missing token: send "Authorization: Bearer <token>" (or "Token", or "X-Nomad-Token")' },
      });
    });

    it('asks for a token before the pod operations read their body', async () => {
      for (const path of ['/kube/pod/delete', '/kube/pod/quarantine']) {
        expect(await answer(await call(path, { method: 'POST' }, ''))).toEqual({
          status: 401, body: { statusCode: 401, data: null, error: 'missing token: send "Authorization: Bearer <token>" (or "Token", or "X-Nomad-Token")' },
        });
      }
    });

    it('reads the body once the caller is known: 400 naming the problem', async () => {
      const refused = await answer(await call('/patches/apply', malformed));
      expect(refused).toMatchObject({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED } });
      expect(refused.body.error).toContain('boundary');
    });

    it('refuses malformed JSON saying what and where, without quoting the body', async () => {
      const refused = await answer(await call('/patches/apply', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{\n  "patch": "hunter2",\n  "dry_run": \n}' }));
      expect(refused).toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: "malformed JSON body: Unexpected token '}' (line 4, column 1)" } });
    });

    it('needs submit for a dry run as for an apply (a dry run of a JSON-patch copy could show a Secret\'s value)', async () => {
      const token = 'instabase-reader-token';
      const issued = await commands.send(IssueToken, { principal: 'reader', tokenHash: hashToken(token), grants: [{ namespace: '*', capabilities: ['read'] }] }, { actor: ADMIN });
      expect(issued).toMatchObject({ status: 'completed', reply: { ok: true } });
      const patch = '# target: checked-settings\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: WARN\n';
      for (const body of [{ patch, dry_run: 'true' }, { patch }] as Array<Record<string, string>>) {
        const refused = await answer(await call('/patches/apply', { method: 'POST', headers: form, body: new URLSearchParams(body).toString() }, token));
        expect(refused).toMatchObject({ status: 403, body: { statusCode: 403, data: NOTHING_APPLIED, error: expect.stringContaining('"submit"') } });
      }
      const dryRun = await call('/patches/apply', { method: 'POST', headers: form, body: new URLSearchParams({ patch, dry_run: 'true' }).toString() });
      expect(dryRun.status).toBe(200);
      expect((await dryRun.json()).data.dryRuns[0].dryRun.config).toContain('LOG_LEVEL: WARN');
    });
  });

  describe('fields an endpoint does not take', () => {
    const patch = '# target: checked-settings\ndata:\n  LOG_LEVEL: DEBUG\n';
    const patches = async () => (await (await call('/patches')).json());

    it('refuses a misspelt dry_run naming it, and stores nothing (a dry run must not become a write)', async () => {
      const before = await patches();
      const refused = await answer(await call('/patches/apply', { method: 'POST', headers: form, body: new URLSearchParams({ patch, dryRun: 'true' }).toString() }));
      expect(refused).toMatchObject({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: expect.stringContaining('unknown field "dryRun"') } });
      expect(await patches()).toEqual(before);
    });

    it('refuses a description that is no text in a dry run as it does for real', async () => {
      const json = { 'content-type': 'application/json' };
      for (const dry_run of [true, false]) {
        expect(await answer(await call('/patches/apply', { method: 'POST', headers: json, body: JSON.stringify({ patch, description: 123, dry_run }) })))
          .toMatchObject({ status: 400, body: { error: 'description must be a string, not 123' } });
      }
    });

    it('refuses any field, or a malformed body, sent to a route whose table has none, instead of acting on it', async () => {
      const json = { 'content-type': 'application/json' };
      for (const path of ['/deployment/update', '/deployment/update/checked-settings', '/deployment/hibernate', '/resourcing/cluster/standard', '/resource_labels/update-defaults']) {
        // update-defaults answers what it applied, its refusals too (the document's failure data).
        const data = path === '/resource_labels/update-defaults' ? NOTHING_APPLIED : null;
        expect([path, await answer(await call(path, { method: 'POST', headers: json, body: '{"objects":["nope"],"force":true}' }))])
          .toEqual([path, { status: 400, body: { statusCode: 400, data, error: 'unknown field "objects": this endpoint takes no fields' } }]);
        expect([path, await answer(await call(path, { method: 'POST', headers: json, body: 'not json at all {' }))])
          .toMatchObject([path, { status: 400, body: { statusCode: 400, data, error: expect.stringContaining('malformed JSON body') } }]);
      }
    });

    it('refuses a number or a boolean where the table says text, and a body nested past any document, naming them', async () => {
      const json = { 'content-type': 'application/json' };
      expect(await answer(await call('/patches/namespace', { method: 'POST', headers: json, body: '{"namespace": true}' })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'namespace must be a string, not true' } });
      expect(await answer(await call('/base_configs', { method: 'POST', headers: json, body: '{"release_version": 1.10, "base_config": "kind: ConfigMap"}' })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'release_version must be a string, not 1.1' } });
      expect(await answer(await call('/patches/namespace', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<namespace>default</namespace>' })))
        .toEqual({ status: 415, body: { statusCode: 415, data: NOTHING_APPLIED, error: 'application/xml bodies are not read here: send form fields, a JSON or YAML object, or multipart/form-data' } });
      const formInLatin1 = `--b\r\nContent-Disposition: form-data; name="namespace"\r\n\r\ndefault\r\n--b--\r\n`;
      expect(await answer(await call('/patches/namespace', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b; charset=latin1' }, body: formInLatin1 })))
        .toEqual({ status: 415, body: { statusCode: 415, data: NOTHING_APPLIED, error: 'charset "latin1" is not supported: send the body as UTF-8' } });
      expect(await answer(await call('/patches/namespace', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: '- namespace\n' })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'a YAML body must be a mapping of the endpoint\'s fields' } });
      const deep = `{"patch": "x", "dry_run": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
      expect(await answer(await call('/patches/apply', { method: 'POST', headers: json, body: deep })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'request body is nested deeper than 128 levels' } });
    });

    it('names a refused path parameter and a text field sent as a file as the document does', async () => {
      const bad = await answer(await call('/deployment/update/..%2Fx', { method: 'POST' }));
      expect(bad).toMatchObject({ status: 400, body: { statusCode: 400, data: null, error: expect.stringMatching(/^object\b/) } });
      expect(bad.body.error).not.toContain('objects.0');
      const asFile = new FormData();
      asFile.set('pod', new Blob(['api-0']), 'pod.txt');
      expect(await answer(await call('/kube/pod/delete', { method: 'POST', body: asFile })))
        .toEqual({ status: 400, body: { statusCode: 400, data: null, error: 'pod must be sent as a text field, not as a file' } });
    });

    it('refuses a query parameter a read does not take (a misspelt filter answered everything), naming what it takes, after the token', async () => {
      expect(await answer(await call('/base_configs?versoin=99.99')))
        .toEqual({ status: 400, body: { statusCode: 400, data: null, error: 'unknown query parameter "versoin": GET /api/v1/control_plane/base_configs takes "version", "object"' } });
      expect(await answer(await call('/patches')).then((a) => a.status)).toBe(200);
      expect(await answer(await call('/patches?limit=1')))
        .toEqual({ status: 400, body: { statusCode: 400, data: null, error: 'unknown query parameter "limit": GET /api/v1/control_plane/patches takes none' } });
      expect((await call('/base_configs?version=99.99')).status).toBe(200);
      const anonymous = await fetch(`${stack.url}/api/v1/control_plane/base_configs?versoin=1`);
      expect(anonymous.status).toBe(401);
      // a route that answers anyone refuses it without asking for a token; a probe ignores it
      expect((await fetch(`${stack.url}/openapi.json?format=yaml`)).status).toBe(400);
      expect((await fetch(`${stack.url}/healthz?verbose=1`)).status).toBe(200);
    });

    it('refuses a field a write would read once given twice, and a write\'s query parameter, instead of acting on one of them', async () => {
      const before = await patches();
      const twice = `${new URLSearchParams({ patch, dry_run: 'true' }).toString()}&dry_run=false`;
      expect(await answer(await call('/patches/apply', { method: 'POST', headers: form, body: twice })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'dry_run: given more than once; send it once' } });
      expect(await answer(await call('/kube/pod/delete', { method: 'POST', headers: form, body: 'pod=a&pod=b' })))
        .toEqual({ status: 400, body: { statusCode: 400, data: null, error: 'pod: given more than once; send it once' } });
      // `?dry_run=true` in the query was a real apply.
      expect(await answer(await call('/patches/apply?dry_run=true', { method: 'POST', headers: form, body: new URLSearchParams({ patch }).toString() })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'unknown field "dry_run": a POST takes its fields in the body, not in the query' } });
      expect(await patches()).toEqual(before);
      // nor does a DELETE read a body
      expect(await answer(await call('/resource_labels/binding/ghost', { method: 'DELETE', headers: form, body: 'force=1' })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'a DELETE takes no body: what it deletes is named in its path (/api/v1/control_plane/resource_labels/binding/ghost)' } });
      // and a DELETE's query parameter it does not take is refused as that, not sent to a body it would refuse
      expect(await answer(await call('/resource_labels/binding/ghost?force=1', { method: 'DELETE' })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'unknown query parameter "force": DELETE /api/v1/control_plane/resource_labels/binding/ghost takes none' } });
    });

    it('refuses a patch sent both as text and as a file, and a JSON body with a key twice', async () => {
      const both = new FormData();
      both.set('patch', patch);
      both.set('file', new Blob([patch]), 'patch.yml');
      expect(await answer(await call('/patches/apply', { method: 'POST', body: both })))
        .toMatchObject({ status: 400, body: { error: expect.stringContaining('send either "patch" or "file", not both') } });
      const twice = '{"patch": "# target: x\\ndata: {}", "dry_run": true, "dry_run": false}';
      expect(await answer(await call('/patches/apply', { method: 'POST', headers: { 'content-type': 'application/json' }, body: twice })))
        .toMatchObject({ status: 400, body: { error: expect.stringContaining('the key "dry_run" appears twice') } });
    });
  });

  describe('HEAD on a GET that acts or streams', () => {
    it('is refused 405, allowing GET, and does not act: no setup is sent, no stream is held open', async () => {
      const setups = async () => (await (await stack.request('/api/v1/events?type=setup.completed.v1&limit=1000')).json()).events.length;
      const before = await setups();
      for (const path of [`${ROOT}/setup`, '/api/v1/events/stream?from=0']) {
        const response = await stack.request(path, { method: 'HEAD', headers: { Token: stack.adminToken } });
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe('GET');
        // nor does a 405 for another method there offer HEAD
        const posted = await stack.request(path, { method: 'POST', headers: { Token: stack.adminToken } });
        expect({ status: posted.status, allow: posted.headers.get('allow') }).toEqual({ status: 405, allow: 'GET' });
      }
      // a GET of the same route still acts
      expect((await call('/setup')).status).toBe(200);
      expect(await setups()).toBe(before + 1);
    });
  });

  describe('text that is no UTF-8', () => {
    const stored = async () => (await (await call('/patches/checked-settings/list')).json()).data.patches as unknown[];

    it('is refused in a multipart field, a form body, and a form value\'s percent-encoding, naming it; nothing is stored', async () => {
      const before = await stored();
      const text = '# target: checked-settings\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: caf\xe9\n';
      const latin1 = Buffer.from(text, 'latin1');
      const boundary = 'checkedboundary';
      const multipart = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="patch"\r\n\r\n`), latin1, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      expect(await answer(await call('/patches/apply', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: multipart })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: 'patch is not UTF-8 text' } });
      expect(await answer(await call('/patches/apply', { method: 'POST', headers: form, body: `patch=${encodeURIComponent(text).replace('%C3%A9', '%E9')}` })))
        .toEqual({ status: 400, body: { statusCode: 400, data: NOTHING_APPLIED, error: expect.stringMatching(/^patch: not valid percent-encoding/) } });
      expect(await stored()).toEqual(before);
    });
  });

  describe('a path whose percent-encoding does not decode', () => {
    it('is refused in the Instabase envelope', async () => {
      const path = `${ROOT}/configs/%E0%A4%A`;
      expect(await answer(await stack.request(path))).toEqual({
        status: 400, body: { statusCode: 400, data: null, error: `the path "${path}" has malformed percent-encoding` },
      });
    });

    it('does not stop an object name of full Kubernetes length (253) at the router', async () => {
      const name = `deployment-${'a'.repeat(242)}`;
      const response = await stack.request(`${ROOT}/base_configs/${name}/versions`, { headers: { authorization: '', Token: stack.adminToken } });
      expect(response.status).toBe(404);
      // (the store's answer for it: the name reached it whole; refusals quote it cut short)
      expect((await response.json()).error).toBe(`Could not get base config history: object "${name.slice(0, 59)}… (253 characters) has no base config`);
    });

    it('refuses a path segment longer than any Kubernetes name (the router\'s bound, 256) with 414 in the envelope', async () => {
      const response = await stack.request(`${ROOT}/base_configs/${'a'.repeat(257)}/versions`, { headers: { authorization: '', Token: stack.adminToken } });
      expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 414, body: { statusCode: 414, data: null, error: expect.stringContaining('longer than the router accepts') } });
    });

    it('quotes the path as every refusal quotes what it was sent, cut short, secrets hidden: refused by the router (400, 414) or by no route (404, 405)', async () => {
      const secretPath = (rest: string) => `${ROOT}/configs/db-password=SuperSecretValue99${rest}`;
      const refusals = [
        await stack.request(secretPath('a'.repeat(600))),
        await stack.request(secretPath('%zz')),
        await stack.request(secretPath('a'.repeat(100)), { method: 'PATCH' }),
        await stack.request(`${ROOT}/no/such/password=SuperSecretValue99${'a'.repeat(600)}`),
        await stack.request('/api/v1/namespaces/default/deployment-targets/password=SuperSecretValue99', { method: 'PATCH' }),
      ];
      const answers = await Promise.all(refusals.map(async (response) => ({ status: response.status, text: await response.text() })));
      expect(answers.map(({ status }) => status)).toEqual([414, 400, 405, 404, 405]);
      for (const { text } of answers) {
        expect(text).not.toContain('SuperSecretValue99');
        expect(text.length).toBeLessThan(400);
      }
    });

    it('is refused in the Ververica error shape', async () => {
      const path = '/api/v1/namespaces/default/deployment-targets/%E0%A4%A';
      expect(await answer(await stack.request(path))).toEqual({
        status: 400, body: { kind: 'Error', apiVersion: 'v1', statusCode: 400, reason: 'BadRequest', message: `the path "${path}" has malformed percent-encoding` },
      });
    });
  });
});
