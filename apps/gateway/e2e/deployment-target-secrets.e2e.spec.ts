import { Pool } from 'pg';
import { replayAll } from '../../telemetry/src/replay/replay';
import { expectNoneInNatsFiles, natsStore } from './nats-files';
import { startStack, type Stack } from './stack';

/**
 * A DeploymentTarget whose annotations hold secrets (the black-box audit's finding): the
 * Ververica document serves annotations verbatim to readers of the namespace, so every
 * answer holds the values as sent, while the event log, the command outcomes, the audit API
 * and the NATS server's files hold none of them, and a replay rebuilds the same target.
 */
const PASSWORD = 'db-pass-2f9e41';
const TOKEN = 'api-token-b7c013';
const AWS = 'aws-secret-5d88ce';
const URL_PASSWORD = 'url-pass-0a6e3f';
const ROTATED = 'rotated-pass-c4e912';
const SECRETS = [PASSWORD, TOKEN, AWS, URL_PASSWORD, ROTATED];
/** In a long annotation, behind an escaped key (its own test). */
const LONG_FILE_SECRET = 'long-file-pass-9e07d2';
const annotations = {
  'db-password': PASSWORD, 'api-token': TOKEN, AWS_SECRET_ACCESS_KEY: AWS,
  'repo-url': `https://ci:${URL_PASSWORD}@git.example/repo.git`, owner: 'team-a',
};
const document = (values: Record<string, string>) => `kind: DeploymentTarget
apiVersion: v1
metadata:
  name: vault
  annotations:
${Object.entries(values).map(([key, value]) => `    ${key}: "${value}"`).join('\n')}
spec:
  kubernetes:
    namespace: vault
`;
const yaml = { 'content-type': 'application/yaml' };
const targets = '/api/v1/namespaces/default/deployment-targets';

describe('Ververica DeploymentTargets with secret annotations', () => {
  let stack: Stack;
  /** The stack's database as psql would see it. */
  let raw: Pool;
  const rows = async (sql: string): Promise<string[]> => (await raw.query<{ row: string }>(sql)).rows.map((r) => r.row);
  const expectNoSecretIn = (texts: string[]) => {
    for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
  };

  beforeAll(async () => {
    stack = await startStack();
    raw = new Pool({ connectionString: stack.databaseUrl, max: 1 });
  });
  afterAll(async () => {
    await raw.end();
    await stack.stop();
  });

  it('answers POST, PUT, GET and list with the annotations as sent, while no event row holds a secret', async () => {
    const created = await stack.request(targets, { method: 'POST', headers: yaml, body: document(annotations) });
    expect(created.status).toBe(201);
    expect((await created.json()).metadata).toMatchObject({ annotations, resourceVersion: 1 });
    const rotated = { ...annotations, 'db-password': ROTATED };
    const put = await stack.request(`${targets}/vault`, { method: 'PUT', headers: yaml, body: document(rotated) });
    expect(put.status).toBe(200);
    const body = await put.json();
    expect(body.metadata).toMatchObject({ annotations: rotated, resourceVersion: 2 });
    expect(await (await stack.request(`${targets}/vault`)).json()).toEqual(body);
    expect((await (await stack.request(targets)).json()).items).toEqual([body]);

    const events = await rows("SELECT data::text || metadata::text AS row FROM events WHERE stream_id = 'target-default/vault' ORDER BY position");
    expect(events).toHaveLength(2);
    expectNoSecretIn(events);
    expectNoSecretIn(await rows('SELECT data::text || metadata::text AS row FROM events'));
    expectNoSecretIn(await rows('SELECT outcome::text AS row FROM command_outcomes'));
  });

  it('shows the audit API no secret, and a replay rebuilds the target equal to the live one', async () => {
    const audit = await (await stack.request('/api/v1/events?stream=target-*&limit=1000')).json();
    expect(audit.events.map((e: { type: string }) => e.type)).toEqual(['target.created.v1', 'target.metadata-updated.v1']);
    expectNoSecretIn([JSON.stringify(audit)]);
    const reports = await replayAll(stack.databaseUrl);
    expect(reports.find((r) => r.projection === 'deployer_targets')).toMatchObject({ equal: true, differences: { targets: 0 } });
    for (const report of reports) expect(report).toMatchObject({ equal: true });
  });

  (natsStore ? it : it.skip)('leaves no secret in the NATS server\'s files: EVENTS holds tokens, and a target command holding one is erased from COMMANDS once handled', async () => {
    await expectNoneInNatsFiles(stack.busPrefix, async () => {
      const other = { ...annotations, 'api-token': 'nats-token-6b1f02' };
      const put = await stack.request(`${targets}/vault`, { method: 'PUT', headers: yaml, body: document(other) });
      expect(put.status).toBe(200);
      return [...SECRETS, 'nats-token-6b1f02'];
    });
  });

  (natsStore ? it : it.skip)('erases from COMMANDS a target command whose annotation past 64 KiB holds a password only its structure tells (an escaped key: it stayed in the stream\'s files)', async () => {
    const file = `"pass\\x77ord": ${LONG_FILE_SECRET}\n${Array.from({ length: 5_000 }, (_, i) => `setting_${i}: v-${i}`).join('\n')}\n`;
    expect(file.length).toBeGreaterThan(64 * 1024);
    await expectNoneInNatsFiles(stack.busPrefix, async () => {
      const body = JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'files', annotations: { 'app.yaml': file } }, spec: { kubernetes: { namespace: 'files' } } });
      const created = await stack.request(targets, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(created.status).toBe(201);
      expect((await created.json()).metadata.annotations['app.yaml']).toBe(file);
      return [LONG_FILE_SECRET];
    });
    expect((await rows("SELECT data::text AS row FROM events WHERE stream_id = 'target-default/files'")).join('\n')).not.toContain(LONG_FILE_SECRET);
  });

  it('answers DELETE with the deleted target, annotations as they were', async () => {
    const before = (await (await stack.request(`${targets}/vault`)).json()).metadata.annotations;
    expect(before).toMatchObject({ owner: 'team-a', AWS_SECRET_ACCESS_KEY: AWS });
    const deleted = await stack.request(`${targets}/vault`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await deleted.json()).metadata.annotations).toEqual(before);
    expectNoSecretIn(await rows('SELECT outcome::text AS row FROM command_outcomes'));
  });

  it('answers a retry under the same Idempotency-Key as the first time, annotations as sent (the recorded outcome holds tokens)', async () => {
    const keyed = { ...yaml, 'idempotency-key': 'vault-retry-1' };
    const body = document(annotations).replace('name: vault', 'name: vault-retried');
    const first = await stack.request(targets, { method: 'POST', headers: keyed, body });
    const again = await stack.request(targets, { method: 'POST', headers: keyed, body });
    const [a, b] = [await first.json(), await again.json()];
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(a.metadata.annotations).toEqual(annotations);
    expect(b).toEqual(a);
  });
});
