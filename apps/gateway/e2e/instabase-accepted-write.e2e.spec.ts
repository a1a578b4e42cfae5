import { findObject, type KubeObject } from '@slipway/kube';
import { eventually, natsUrl } from '@slipway/testing';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startConfigStore } from '../../config-store/src/service';
import { startGateway } from '../src/server';
import { startStack, type Stack } from './stack';

/**
 * A synchronous write that is still running at the gateway's wait bound answers 202; what
 * it changed must still reach the cluster, as it would have if the answer had come in time,
 * whatever becomes of the gateway that answered.
 */
const ROOT = '/api/v1/control_plane';

describe('Instabase write answered 202 at the wait bound', () => {
  let kube: TestNamespace;
  let stack: Stack;

  /** The ConfigMap once a push has applied it. */
  const appliedConfigMap = (name: string) => eventually(async () => {
    const found = await findObject<KubeObject & { data?: Record<string, string> }>(kube.client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: kube.namespace } });
    if (!found.ok || !found.value) throw new Error(`ConfigMap ${name} is not applied yet`);
    return found.value;
  }, 60_000);

  beforeAll(async () => {
    kube = await createTestNamespace('accepted');
    // A 1 ms wait: every command is answered 202 before its service has handled it.
    stack = await startStack({ commandWaitMs: 1, kubeNamespace: kube.namespace });
  });
  afterAll(async () => {
    await stack?.stop();
    await kube?.dispose();
  });

  it('answers 202 with the status URL, and the uploaded object still reaches the cluster', async () => {
    const body = new URLSearchParams({ release_version: '1.0', base_config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: accepted-settings\ndata:\n  LOG_LEVEL: INFO\n' });
    const response = await stack.request(`${ROOT}/base_configs`, {
      method: 'POST', body, headers: { authorization: '', Token: stack.adminToken, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(202);
    const accepted = await response.json();
    expect(accepted).toEqual({
      statusCode: 202, error: null,
      // The document's write data, nothing applied yet, so a client reading data.successful_apply finds it.
      data: { successful_apply: [], failed_to_apply: [], commandId: expect.any(String), status: 'accepted', statusUrl: expect.stringContaining(accepted.data.commandId) },
    });

    // then, with nobody asking, the upload is handled and its push applies the ConfigMap
    expect((await appliedConfigMap('accepted-settings')).data).toEqual({ LOG_LEVEL: 'INFO' });
    // and the write's status, where the 202 pointed, tells what its push applied
    const pushId = `${accepted.data.commandId}-push`;
    const status = await eventually(async () => {
      const read = await (await stack.request(accepted.data.statusUrl)).json();
      expect(read.push?.status).toBe('succeeded');
      return read;
    }, 30_000);
    expect(status).toMatchObject({
      status: 'succeeded', outcome: { ok: true, value: { materialized: ['accepted-settings'] } },
      push: { commandId: pushId, statusUrl: `/api/v1/commands/${pushId}`, outcome: { ok: true, value: { successfulApply: ['accepted-settings'], failedToApply: {} } } },
    });
  });

  it('tells, at the status of the write, a push that failed', async () => {
    const body = new URLSearchParams({ release_version: '1.2', base_config: 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: accepted-widget\n' });
    const response = await stack.request(`${ROOT}/base_configs`, {
      method: 'POST', body, headers: { authorization: '', Token: stack.adminToken, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(202);
    const { data: { statusUrl } } = await response.json();
    const status = await eventually(async () => {
      const read = await (await stack.request(statusUrl)).json();
      expect(read.push?.status).toBe('succeeded');
      return read;
    }, 30_000);
    // A push records what failed as its outcome: the write's status shows it, with the API server's reason.
    expect(status.push.outcome.value).toMatchObject({ successfulApply: [], failedToApply: { 'accepted-widget': expect.stringContaining('Widget') } });
  });

  it('pushes a write answered 202 by a gateway that stopped at once, before the write was handled', async () => {
    // given a config-store that is down, so the write waits in JetStream
    const configStore = stack.services.splice(1, 1)[0]!;
    await configStore.close();
    // when a gateway of its own answers the write 202 and stops at once
    const gateway = await startGateway({ natsUrl: natsUrl(), busPrefix: stack.busPrefix, host: '127.0.0.1', port: 0, bodyLimit: 1024 * 1024, commandWaitMs: 1 });
    const body = new URLSearchParams({ release_version: '1.1', base_config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: orphaned-settings\ndata:\n  LOG_LEVEL: WARN\n' });
    const response = await fetch(`${gateway.url}${ROOT}/base_configs`, {
      method: 'POST', body, headers: { Token: stack.adminToken, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(202);
    await gateway.close();
    // then the config-store, back, handles the write and the ConfigMap reaches the cluster
    stack.services.push(await startConfigStore({ databaseUrl: stack.databaseUrl, natsUrl: natsUrl(), busPrefix: stack.busPrefix }));
    expect((await appliedConfigMap('orphaned-settings')).data).toEqual({ LOG_LEVEL: 'WARN' });
  });
});
