import { Bus, CommandBus } from '@slipway/bus';
import { UploadBaseConfigs, type LoggedEvent } from '@slipway/contracts';
import { findObject } from '@slipway/kube';
import { eventually, natsUrl } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { apiServer, brokenDeployment, callInstabase, form } from './instabase-fixtures';

/**
 * The document's asynchronous base configs upload applies what it changed, like the
 * synchronous one: the config-store hands the push over with the upload's outcome, the
 * result endpoint answers PENDING until the push has an outcome and then the synchronous
 * upload's answer.
 */

const configs = (release: string) => `${apiServer(release)}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hot-configs-${release.replace(/\./g, '-')}
data:
  LOG_LEVEL: INFO
---
${brokenDeployment(release)}`;

describe('Instabase asynchronous upload applies what it changed', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const configMap = async (name: string) =>
    findObject(kube.client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: kube.namespace } });
  const result = async (requestId: string) => {
    const response = await call(`/base_configs/upload/${requestId}`);
    return { status: response.status, body: await response.json() };
  };
  /** Reads the result until it is no longer PENDING. */
  const settled = async (requestId: string) => {
    let last = await result(requestId);
    await eventually(async () => {
      last = await result(requestId);
      expect(last.status).not.toBe(202);
    }, 30_000);
    return last;
  };
  /** The configs the push recorded as applied, from the audit log. */
  const appliedBy = async (pushId: string) => {
    const page = await (await stack.request(`/api/v1/events?stream=cluster-${kube.namespace}&type=cluster.config-applied.v1&limit=1000`)).json();
    return (page.events as LoggedEvent[]).filter((e) => e.metadata.commandId === pushId);
  };

  beforeAll(async () => {
    kube = await createTestNamespace('iba');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('pushes with nobody asking, then answers with what was applied and what failed', async () => {
    const accepted = await call('/base_configs/upload', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.07.0', base_config: configs('23.07.0') }).toString() });
    const { data: { RequestID: requestId } } = await accepted.json();
    expect(accepted.status).toBe(200);

    // Nobody asks for the result, and the configs still reach the cluster.
    await eventually(async () => expect(await configMap('hot-configs-23-07-0')).toMatchObject({ ok: true, value: { data: { LOG_LEVEL: 'INFO' } } }), 30_000);

    const answer = await settled(requestId);
    // Something failed to apply: the document's failure, 500 with the API server's reason.
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ statusCode: 500, error: expect.stringMatching(/^failed to apply deployment-broken: .*selector/i), data: { failed_to_apply: ['deployment-broken'] } });
    expect(answer.body.data.successful_apply.sort()).toEqual(['deployment-api-server', 'hot-configs-23-07-0']);
    expect(answer.body.data.materialized.sort()).toEqual(['deployment-api-server', 'deployment-broken', 'hot-configs-23-07-0']);

    // Read again and again, the push was handled once, correlated with the upload.
    expect(await result(requestId)).toEqual(answer);
    const applied = await appliedBy(`${requestId}-push`);
    expect(applied.map((e) => (e.data as { objectName: string }).objectName).sort()).toEqual(['deployment-api-server', 'hot-configs-23-07-0']);
    expect(applied.every((e) => e.metadata.correlationId === requestId)).toBe(true);
  });

  it('an upload published on NATS by another process is pushed the same: the config-store hands its push over before answering', async () => {
    // given the upload command sent on the bus by itself, no gateway involved
    const bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    const uploaded = await new CommandBus(bus).send(UploadBaseConfigs, { releaseVersion: '23.08.0', text: configs('23.08.0') }, {
      actor: { principal: 'admin', kind: 'token' }, waitMs: 20_000,
    });
    await bus.close();
    expect(uploaded.status).toBe('completed');
    const requestId = uploaded.commandId;

    // then its push was in JetStream when it was answered, and nobody asking, the configs reach the cluster
    expect((await stack.request(`/api/v1/commands/${requestId}-push`)).status).toBe(200);
    await eventually(async () => expect(await configMap('hot-configs-23-08-0')).toMatchObject({ ok: true, value: { data: { LOG_LEVEL: 'INFO' } } }), 30_000);

    // and the result endpoint answers the upload with its push, applied once
    const answer = await settled(requestId);
    expect(answer.status).toBe(500);
    expect(answer.body.data.successful_apply.sort()).toEqual(['deployment-api-server', 'hot-configs-23-08-0']);
    expect(answer.body.data.failed_to_apply).toEqual(['deployment-broken']);
    expect((await appliedBy(`${requestId}-push`)).length).toBe(2);
  });

  it('a refused upload\'s result and status do not quote the secret its malformed YAML held (review)', async () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: quoted\nstringData:\n  password: >Zx9kq!hunter2\n';
    const accepted = await call('/base_configs/upload', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.09.0', base_config: secret }).toString() });
    const { data: { RequestID: requestId } } = await accepted.json();
    const answer = await settled(requestId);
    expect(answer).toMatchObject({ status: 400, body: { error: expect.stringContaining('malformed YAML: Block scalar header includes extra characters (the text is not shown') } });
    const status = await (await stack.request(`/api/v1/commands/${requestId}`)).json();
    expect(status).toMatchObject({ status: 'failed', outcome: { ok: false, error: { code: 'invalid' } } });
    expect(JSON.stringify([answer, status])).not.toContain('hunter2');
  });

  it('an upload that changes nothing answers at once and pushes nothing', async () => {
    const accepted = await call('/base_configs/upload', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.08.0', base_config: configs('23.08.0') }).toString() });
    const { data: { RequestID: requestId } } = await accepted.json();
    const answer = await settled(requestId);
    expect(answer).toEqual({ status: 200, body: { statusCode: 200, error: null, data: { successful_apply: [], failed_to_apply: [], materialized: [] } } });
    expect((await stack.request(`/api/v1/commands/${requestId}-push`)).status).toBe(404);
  });
});
