import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@slipway/testing';
import { zipSync } from 'fflate';
import { startStack, type Stack } from './stack';
import { callInstabase, NOTHING_APPLIED } from './instabase-fixtures';

/**
 * Base configs (and patches) uploaded as .zip and .tar.gz archives in multipart, as the
 * Instabase document's curl examples do (`-F "file=@configs.zip" -F "release_version=…"`);
 * hostile archives are refused with a 400 in the envelope before anything is stored.
 */
const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
      - name: main
        image: registry.example/${name}:1.0
`;
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  LOG_LEVEL: INFO\n`;

/** A real tar.gz, written by GNU tar from a directory of files (and symlinks). */
function gnuTarGz(files: Record<string, string>, symlinks: Record<string, string> = {}): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-archive-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, 'src', path, '..'), { recursive: true });
      writeFileSync(join(dir, 'src', path), text);
    }
    for (const [path, target] of Object.entries(symlinks)) symlinkSync(target, join(dir, 'src', path));
    execFileSync('tar', ['-czf', join(dir, 'configs.tar.gz'), '-C', join(dir, 'src'), '.']);
    return readFileSync(join(dir, 'configs.tar.gz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const zip = (files: Record<string, string | Uint8Array>) =>
  Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : v]))));

function upload(bytes: Buffer, filename: string, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), filename);
  return form;
}

describe('Instabase dialect: archive uploads', () => {
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const objectsOf = async (version: string) =>
    ((await (await call(`/base_configs?version=${version}`)).json()).data.baseConfigs as Array<{ object_name: string }>).map((c) => c.object_name).sort();

  beforeAll(async () => {
    // A bound no write here reaches: each asserts its final answer (200), none a 202, and a
    // loaded CI machine took over a second for a create (platform-events; 1.5 s was the bound).
    stack = await startStack({ commandWaitMs: 20_000 });
  });
  afterAll(() => stack.stop());

  it('uploads a .zip of base configs (curl -F file=@configs.zip -F release_version=21.x.0): the objects are stored', async () => {
    const bytes = zip({ 'configs/': new Uint8Array(), 'configs/api.yaml': deployment('deployment-api'), 'configs/hot.yml': configMap('hot-configs'), 'README.md': '# configs' });
    const response = await call('/base_configs', { method: 'POST', body: upload(bytes, 'configs.zip', { release_version: '21.1.0' }) });
    const body = await response.json();
    expect({ status: response.status, body }).toMatchObject({ status: 200, body: { statusCode: 200, error: null, data: { successful_apply: [] } } });
    expect(body.data.materialized.sort()).toEqual(['deployment-api', 'hot-configs']);
    expect(await objectsOf('21.1.0')).toEqual(['deployment-api', 'hot-configs']);
    const api = (await (await call('/base_configs?object=deployment-api')).json()).data.baseConfigs[0];
    expect(api.config).toContain('image: registry.example/deployment-api:1.0');
  });

  it('takes a "file" part sent without a file name (curl -F \'file=<configs.yaml\'), text or archive, as the file (probe: told to send base_config or file)', async () => {
    const text = new FormData();
    text.append('release_version', '21.3.0');
    text.append('file', configMap('nameless-text'));
    const fromText = await call('/base_configs', { method: 'POST', body: text });
    expect({ status: fromText.status, materialized: (await fromText.json()).data?.materialized }).toEqual({ status: 200, materialized: ['nameless-text'] });

    const boundary = 'nameless-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="release_version"\r\n\r\n21.3.0\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: application/zip\r\n\r\n`),
      zip({ 'hot.yaml': configMap('nameless-zip') }),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const fromZip = await call('/base_configs', { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect({ status: fromZip.status, materialized: (await fromZip.json()).data?.materialized }).toEqual({ status: 200, materialized: ['nameless-zip'] });
    // a form's "file" field is its text
    const form = await call('/base_configs', { method: 'POST', body: new URLSearchParams({ release_version: '21.3.0', file: configMap('form-file') }) });
    expect({ status: form.status, materialized: (await form.json()).data?.materialized }).toEqual({ status: 200, materialized: ['form-file'] });
    expect(await objectsOf('21.3.0')).toEqual(['form-file', 'nameless-text', 'nameless-zip']);
  });

  it('uploads a .tar.gz written by GNU tar asynchronously: a RequestID, then the result, then the objects', async () => {
    const bytes = gnuTarGz({ 'a/api.yaml': deployment('deployment-api').replace(':1.0', ':2.0'), 'b/worker.yaml': `${deployment('deployment-worker')}---\n${configMap('worker-config')}` });
    const response = await call('/base_configs/upload', { method: 'POST', body: upload(bytes, 'configs.tar.gz', { release_version: '21.2.0' }) });
    const body = await response.json();
    expect(body).toMatchObject({ status_code: 200, data: { RequestID: expect.any(String) } });
    // Handled in the background: polled until it is no longer 202 (a push to the cluster may take a while).
    const result = await eventually(async () => {
      const r = await call(`/base_configs/upload/${body.data.RequestID}`);
      const polled = { status: r.status, json: await r.json() };
      expect(polled.status).not.toBe(202);
      return polled;
    }, 60_000, 100);
    expect(result).toMatchObject({ status: 200, json: { statusCode: 200, data: { successful_apply: [] } } });
    expect(result.json.data!.materialized!.sort()).toEqual(['deployment-api', 'deployment-worker', 'worker-config']);
    expect(await objectsOf('21.2.0')).toEqual(['deployment-api', 'deployment-worker', 'worker-config']);
  });

  it('applies a .tar.gz of patches, each file with its own target', async () => {
    const bytes = gnuTarGz({
      'replicas.yaml': '# target: deployment-api\napiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 4\n',
      'log.json': JSON.stringify({ kind: 'ConfigMap', target: 'hot-configs', comment: 'log level', patch: [{ op: 'replace', path: '/data/LOG_LEVEL', value: 'DEBUG' }] }),
    });
    const response = await call('/patches/apply', { method: 'POST', body: upload(bytes, 'patches.tar.gz', { description: 'from an archive' }) });
    expect(response.status).toBe(200);
    expect((await response.json()).data.materialized.sort()).toEqual(['deployment-api', 'hot-configs']);
    expect((await (await call('/configs/deployment-api')).json()).config).toContain('replicas: 4');
  });

  it('names the archive file of a bad document', async () => {
    const bytes = zip({ 'ok.yaml': configMap('fine'), 'broken/bad.yaml': 'apiVersion: v1\nmetadata:\n  name: bad\n' });
    const response = await call('/base_configs', { method: 'POST', body: upload(bytes, 'configs.zip', { release_version: '21.9.0' }) });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain('(broken/bad.yaml, line 1) has no "kind"');
    expect(await objectsOf('21.9.0')).toEqual([]);
  });

  it('refuses hostile archives with a 400 in the envelope naming the problem, and stores nothing', async () => {
    const many = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`c/${i}.yaml`, configMap(`c-${i}`)]));
    const cases: Array<[string, Buffer, string, string]> = [
      ['zip slip', zip({ 'ok.yaml': configMap('slip-ok'), '../../evil.yaml': configMap('evil') }), 'configs.zip', 'entry "../../evil.yaml" has a ".." path segment'],
      ['absolute path', zip({ '/etc/evil.yaml': configMap('evil') }), 'configs.zip', 'entry "/etc/evil.yaml" has an absolute path'],
      ['symlink in a tar.gz', gnuTarGz({ 'ok.yaml': configMap('link-ok') }, { 'passwd.yaml': '/etc/passwd' }), 'configs.tar.gz', 'entry "./passwd.yaml" is a symlink'],
      ['zip bomb', Buffer.from(zipSync({ 'bomb.yaml': [new Uint8Array(3 * 1024 * 1024).fill(0x20), { level: 9 }], 'ok.yaml': Buffer.from(configMap('bomb-ok')) })), 'configs.zip', 'compression ratio over 100:1'],
      ['too many entries', zip(many), 'configs.zip', 'has 1001 entries, more than the limit of 1000'],
      ['not an archive', Buffer.from('PK\u0003\u0004 broken'), 'configs.zip', 'not a readable zip archive'],
    ];
    for (const [label, bytes, filename, mention] of cases) {
      const response = await call('/base_configs', { method: 'POST', body: upload(bytes, filename, { release_version: '21.6.6' }) });
      const json = await response.json();
      expect({ label, status: response.status }).toEqual({ label, status: 400 });
      expect(json).toMatchObject({ statusCode: 400, data: NOTHING_APPLIED });
      expect(json.error).toContain(`file "${filename}"`);
      expect(json.error).toContain(mention);
    }
    expect(await objectsOf('21.6.6')).toEqual([]);
    const async = await call('/base_configs/upload', { method: 'POST', body: upload(cases[0]![1], 'configs.zip', { release_version: '21.6.6' }) });
    expect(async.status).toBe(400);
    expect((await async.json()).error).toContain('".." path segment');
    const tooLarge = await call('/base_configs', { method: 'POST', body: upload(randomBytes(1024 * 1024 + 1), 'configs.zip', { release_version: '21.6.6' }) });
    expect({ status: tooLarge.status, body: await tooLarge.json() }).toMatchObject({ status: 413, body: { statusCode: 413, error: expect.stringContaining('SLIPWAY_BODY_LIMIT') } });
    const versions = (await (await call('/base_configs/versions')).json()).baseConfigVersions as Array<{ versions: string[] }>;
    expect(versions.flatMap((v) => v.versions)).not.toContain('21.6.6');
  });
});
