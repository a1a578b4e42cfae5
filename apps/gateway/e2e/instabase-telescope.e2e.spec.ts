import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { tarGz, zip } from '../src/dialects/instabase/archive/archive.testing';
import { startStack, type Stack } from './stack';

/**
 * obs/telescope through the gateway: an export is requested (WAITING), collected from the
 * audit log of its range (SUCCESS, with a real .zip at zip_file_path, secrets redacted),
 * then that .zip — or a .tar.gz of the same files — is imported and its configs and
 * status read back; hostile archives are refused before anything is stored.
 */
const ROOT = '/api/v1/control_plane';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function upload(bytes: Buffer, filename: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), filename);
  return form;
}

describe('Instabase dialect: obs/telescope export and import', () => {
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) =>
    stack.request(`${ROOT}${path}`, { ...init, headers: { authorization: '', Token: stack.adminToken, ...(init.headers as Record<string, string> | undefined) } });
  const json = async (path: string, init: RequestInit = {}) => {
    const response = await call(path, init);
    return { status: response.status, body: await response.json() };
  };

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
    const request = { services: ['server-nginx'], data_sources: ['LOGS', 'STATS', 'CONFIGS'], label: 'any-label', start, end };
    const started = await json('/obs/telescope/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(started).toEqual({
      status: 200,
      body: {
        statusCode: 200, error: null,
        data: { id: expect.stringMatching(UUID), job_status: 'WAITING', request: { ...request, label: expect.stringMatching(/^any-label-\d{13}$/) }, result: { zip_file_path: '' } },
      },
    });
    const { id } = started.body.data;
    let status = await json(`/obs/telescope/export/${id}/status`);
    for (let i = 0; i < 100 && status.body.data?.job_status === 'WAITING'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await json(`/obs/telescope/export/${id}/status`);
    }
    expect(status).toEqual({
      status: 200,
      body: { statusCode: 200, error: null, data: { id, job_status: 'SUCCESS', request: started.body.data.request, result: { zip_file_path: expect.stringMatching(new RegExp(`/telescope-\\d+/${id}\\.zip$`)) } } },
    });
    exported = readFileSync(status.body.data.result.zip_file_path);
    const files = unzipSync(exported);
    expect(Object.keys(files).sort()).toEqual(['configs.json', 'logs.json', 'manifest.json', 'stats.json']);
    expect(JSON.parse(strFromU8(files['manifest.json']!))).toEqual(started.body.data.request);
    const logs = JSON.parse(strFromU8(files['logs.json']!)) as Array<{ type: string }>;
    expect(logs.length).toBeGreaterThan(0);
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
    expect(bad).toEqual({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('start must not be after end') } });
  });

  it('imports the exported .zip: SUCCESS with the manifest as result, then its configs and status', async () => {
    const imported = await json('/obs/telescope/import', { method: 'POST', body: upload(exported, 'telescope.zip') });
    const manifest = JSON.parse(strFromU8(unzipSync(exported)['manifest.json']!));
    expect(imported).toEqual({
      status: 200,
      body: { statusCode: 200, error: null, data: { id: expect.stringMatching(UUID), job_status: 'SUCCESS', request: { zip_file_path: 'telescope.zip' }, result: manifest } },
    });
    const { id } = imported.body.data;
    expect(await json(`/obs/telescope/import/${id}/status`)).toEqual({ status: 200, body: imported.body });
    const configs = await json(`/obs/telescope/import/${id}/configs`);
    expect(configs.status).toBe(200);
    expect(configs.body.data).toEqual(JSON.parse(strFromU8(unzipSync(exported)['configs.json']!)));
    expect(JSON.stringify(configs.body.data)).not.toContain('hunter2');
  });

  it('imports a .tar.gz of an export; its secrets are redacted on the way in', async () => {
    const manifest = { services: ['core-platform-service'], data_sources: ['STATS'], start: '2023-09-28T13:53:53.423Z', end: '2023-09-28T14:53:53.423Z', label: 'Wh2Pe9-33423-1695912845006' };
    const bytes = tarGz([
      { name: 'export/manifest.json', body: JSON.stringify(manifest) },
      { name: 'export/configs.json', body: JSON.stringify({ app: { LOG_LEVEL: 'INFO', api_key: 'k-123' } }) },
    ]);
    const imported = await json('/obs/telescope/import', { method: 'POST', body: upload(bytes, 'telescope.tar.gz') });
    expect(imported).toMatchObject({ status: 200, body: { statusCode: 200, error: null, data: { job_status: 'SUCCESS', request: { zip_file_path: 'telescope.tar.gz' }, result: manifest } } });
    expect(await json(`/obs/telescope/import/${imported.body.data.id}/configs`))
      .toEqual({ status: 200, body: { statusCode: 200, error: null, data: { app: { LOG_LEVEL: 'INFO', api_key: '[redacted]' } } } });
  });

  it('refuses hostile archives and non-exports before anything is stored', async () => {
    const traversal = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: '../manifest.json', body: '{}' }]), 'evil.tar.gz') });
    expect(traversal).toMatchObject({ status: 400, body: { statusCode: 400, data: null, error: expect.stringContaining('file "evil.tar.gz"') } });
    const link = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'manifest.json', type: '2', link: '/etc/passwd' }]), 'link.tar.gz') });
    expect(link).toMatchObject({ status: 400, body: { statusCode: 400, data: null } });
    const notExport = await json('/obs/telescope/import', { method: 'POST', body: upload(tarGz([{ name: 'a.json', body: '{}' }]), 'a.tar.gz') });
    expect(notExport).toEqual({ status: 400, body: { statusCode: 400, data: null, error: 'file "a.tar.gz": not a telescope export (no valid manifest.json)' } });
    expect(await json('/obs/telescope/import/no-such-id/status')).toMatchObject({ status: 404, body: { statusCode: 404, data: null } });
  });
});
