import { createPool } from '@slipway/event-log';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import type { Pool } from 'pg';
import { callInstabase, form, NOTHING_APPLIED } from './instabase-fixtures';
import { startStack, type LooseResponse, type Stack } from './stack';

/**
 * A secret in a shape the API server refuses (the auditor's case: an env entry named like
 * a secret holding a map where a string belongs, or a string where `valueFrom` takes a
 * map). A container's fields are checked when the patch is written: refused 400 naming the
 * field, never the value, and nothing stored. A field the config-store does not check (a
 * volume's `secretName`): the patch is taken, its push fails, and the API server's refusal
 * quotes the value back. Neither the answer, the push's recorded outcome, nor the log may
 * carry it; the refusal still says what was wrong.
 */
const PLANTED = 'planted-map-secret-6d1f';
const PLANTED_FROM = 'planted-valuefrom-secret-93ac';
const PLANTED_VOLUME = 'planted-volume-secret-4b27';

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: deployment-planted
spec:
  replicas: 1
  selector:
    matchLabels:
      app: planted
  template:
    metadata:
      labels:
        app: planted
    spec:
      containers:
      - name: planted
        image: gcr.io/instabase-public/planted:1.0
        env:
        - name: DB_PASSWORD
          value: base-password-11c0
        - name: LOG_LEVEL
          value: info
`;

/** A strategic merge of the env entry by its name: its value becomes a map, or a valueFrom a string. */
const patchOf = (entry: string) => `# target: deployment-planted
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: planted
        env:
${entry}`;

describe('Instabase: a secret the API server refuses and quotes back', () => {
  let kube: TestNamespace;
  let stack: Stack;
  let pool: Pool;
  const post = (path: string, body: Record<string, string>, correlationId: string) =>
    callInstabase(stack, path, { method: 'POST', headers: { ...form, 'x-correlation-id': correlationId }, body: new URLSearchParams(body).toString() });
  const answer = async (response: LooseResponse) => ({ status: response.status, body: await response.json() });
  /** The write's push, as any token may read it: found by the write's command, by its correlation id. */
  const pushStatus = async (correlationId: string) => {
    const { events } = await (await stack.request(`/api/v1/events?correlationId=${correlationId}&type=patch.*`)).json();
    expect(events.length).toBeGreaterThan(0);
    return (await stack.request(`/api/v1/commands/${events[0].metadata.commandId}-push`)).json();
  };
  /** Every place the value could be left at: the log, the recorded outcomes, the audit log's answer. */
  const everywhere = async () => [
    ...(await pool.query<{ row: string }>('SELECT data::text || metadata::text AS row FROM public.events')).rows.map((r) => r.row),
    ...(await pool.query<{ row: string }>('SELECT outcome::text AS row FROM public.command_outcomes')).rows.map((r) => r.row),
    await (await stack.request('/api/v1/events?limit=1000')).text(),
  ];

  beforeAll(async () => {
    kube = await createTestNamespace('ibrefsec');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    pool = createPool(stack.databaseUrl, { max: 2 });
    const uploaded = await post('/base_configs', { release_version: '24.02.0', base_config: BASE }, 'planted-upload');
    expect(await answer(uploaded)).toMatchObject({ status: 200, body: { data: { successful_apply: ['deployment-planted'] } } });
  });
  afterAll(async () => {
    await pool?.end();
    await stack?.stop();
    await kube?.dispose();
  });

  it('a map where a secret env value belongs: refused when written, naming the field, without the value, and nothing stored', async () => {
    const before = await (await callInstabase(stack, '/patches')).text();
    const patch = patchOf(`        - name: DB_PASSWORD\n          value:\n            inner: ${PLANTED}\n`);
    const refused = await answer(await post('/patches/apply', { patch, description: 'wrong shape' }, 'planted-map'));
    expect(refused).toMatchObject({ status: 400, body: { data: NOTHING_APPLIED, error: expect.stringContaining('spec.template.spec.containers[0].env[0].value must be a string, got a mapping') } });
    expect(JSON.stringify(refused)).not.toContain(PLANTED);
    expect(await (await callInstabase(stack, '/patches')).text()).toBe(before);
    for (const text of await everywhere()) expect(text).not.toContain(PLANTED);
  });

  it('a string where valueFrom takes a map, in an env entry named like a secret: refused the same way', async () => {
    const patch = patchOf(`        - name: SECRET_TOKEN\n          valueFrom: ${PLANTED_FROM}\n`);
    const refused = await answer(await post('/patches/apply', { patch, description: 'wrong shape too' }, 'planted-valuefrom'));
    expect(refused).toMatchObject({ status: 400, body: { error: expect.stringContaining('spec.template.spec.containers[0].env[0].valueFrom must be a mapping, got a string') } });
    expect(JSON.stringify(refused)).not.toContain(PLANTED_FROM);
    for (const text of await everywhere()) expect(text).not.toContain(PLANTED_FROM);
  });

  it('a map where a secret-named volume field takes a string: the push\'s refusal says so, without the value, in the answer, the outcome and the log', async () => {
    const patch = `# target: deployment-planted\nkind: Deployment\nspec:\n  template:\n    spec:\n      volumes:\n      - name: creds\n        secret:\n          secretName:\n            inner: ${PLANTED_VOLUME}\n`;
    const refused = await answer(await post('/patches/apply', { patch, description: 'wrong volume' }, 'planted-volume'));
    expect(refused).toMatchObject({ status: 500, body: { data: { failed_to_apply: ['deployment-planted'] } } });
    // (the API server's "secretName: expected string" reads as a secret-named pair, and is hidden too)
    expect(refused.body.error).toMatch(/^failed to apply deployment-planted: failed to create typed patch object .*volumes\[name="creds"\]\.secret\.secretName: .*string, got/);
    expect(refused.body.error).toContain('[redacted]');
    expect(JSON.stringify(refused)).not.toContain(PLANTED_VOLUME);

    const push = await pushStatus('planted-volume');
    expect(push).toMatchObject({ status: 'succeeded', outcome: { ok: true, value: { successfulApply: [], failedToApply: { 'deployment-planted': expect.stringContaining('failed to create typed patch object') } } } });
    expect(JSON.stringify(push)).not.toContain(PLANTED_VOLUME);
    const log = await everywhere();
    expect(log.join('\n')).toContain('slipway-sealed:');
    for (const text of log) expect(text).not.toContain(PLANTED_VOLUME);
    // The admin still reads the patch as written.
    expect(await (await callInstabase(stack, '/patches')).text()).toContain(PLANTED_VOLUME);
  });

  it('a later push of the same object is refused the same way, without the value', async () => {
    const pushed = await answer(await callInstabase(stack, '/deployment/update', { method: 'POST', headers: { 'x-correlation-id': 'planted-again' } }));
    expect(pushed).toMatchObject({ status: 200, body: { data: { failed_to_apply: { 'deployment-planted': expect.stringContaining('secretName') } } } });
    expect(JSON.stringify(pushed)).not.toContain(PLANTED_VOLUME);
    for (const text of await everywhere()) expect(text).not.toContain(PLANTED_VOLUME);
  });
});
