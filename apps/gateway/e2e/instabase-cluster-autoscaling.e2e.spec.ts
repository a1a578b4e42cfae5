import { applyObject, getObject, listObjects, unwrap, type KubeObject } from '@slipway/kube';
import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { startStack, type Stack } from './stack';
import { apiServer, callInstabase, databaseStatefulSet, form } from './instabase-fixtures';

/**
 * Autoscaling pause/resume/status, autoscaled resources, cluster size presets and platform
 * status through the gateway, on the real control plane.
 */

const BASE = `${apiServer('23.07.0')}---
${databaseStatefulSet(1)}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hot-configs
data:
  LOG_LEVEL: INFO
`;

const hpa = (name: string, target: string, maxReplicas: number) => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, labels: { team: 'platform' } },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
  },
});

describe('Instabase autoscaling, sizing and platform status on a real control plane', () => {
  let kube: TestNamespace;
  let stack: Stack;
  const call = (path: string, init: RequestInit = {}) => callInstabase(stack, path, init);
  const hpas = async () => unwrap(await listObjects<KubeObject & { spec: Record<string, unknown> }>(kube.client, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { namespace: kube.namespace } })).items;

  beforeAll(async () => {
    kube = await createTestNamespace('ibas');
    stack = await startStack({ commandWaitMs: 20_000, kubeNamespace: kube.namespace });
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.07.0', base_config: BASE }).toString() });
    expect(upload.status).toBe(200);
    for (const h of [hpa('api-server-hpa', 'deployment-api-server', 5), hpa('worker-hpa', 'deployment-worker', 3)]) {
      unwrap(await applyObject(kube.client, { ...h, metadata: { ...h.metadata, namespace: kube.namespace } }));
    }
  });
  afterAll(async () => {
    await stack.stop();
    await kube.dispose();
  });

  it('lists the autoscaled workloads and reports every controller running', async () => {
    expect(await (await call('/resourcing/autoscaled')).json()).toEqual({ statusCode: 200, data: { names: ['deployment-api-server', 'deployment-worker'] }, error: null });
    const status = await call('/autoscaling/controllers/status');
    expect({ status: status.status, body: await status.json() }).toEqual({ status: 200, body: { 'api-server-hpa': 'running', 'worker-hpa': 'running' } });
  });

  it('pauses (the autoscalers are removed, their specs kept) and resumes (re-created unchanged)', async () => {
    const before = Object.fromEntries((await hpas()).map((h) => [h.metadata.name, { labels: h.metadata.labels, spec: h.spec }]));
    const paused = await call('/autoscaling/controllers/pause', { method: 'POST' });
    expect({ status: paused.status, body: await paused.json() }).toEqual({ status: 200, body: { statusCode: 200, data: null, error: null } });
    expect(await hpas()).toEqual([]);
    expect(await (await call('/autoscaling/controllers/status')).json()).toEqual({ 'api-server-hpa': 'paused', 'worker-hpa': 'paused' });
    expect((await (await call('/resourcing/autoscaled')).json()).data).toEqual({ names: [] });
    // Pausing again changes nothing and loses nothing.
    expect((await call('/autoscaling/controllers/pause', { method: 'POST' })).status).toBe(200);

    expect((await call('/autoscaling/controllers/resume', { method: 'POST' })).status).toBe(200);
    const after = Object.fromEntries((await hpas()).map((h) => [h.metadata.name, { labels: h.metadata.labels, spec: h.spec }]));
    expect(after).toEqual(before);
    expect(await (await call('/autoscaling/controllers/status')).json()).toEqual({ 'api-server-hpa': 'running', 'worker-hpa': 'running' });
    expect((await call('/autoscaling/controllers/resume', { method: 'POST' })).status).toBe(200);
  });

  it('resumes without overwriting an autoscaler a push re-created since the pause, and puts back one made by hand', async () => {
    expect((await call('/autoscaling/controllers/pause', { method: 'POST' })).status).toBe(200);
    // one re-created by a push of its config (it stands), the other by hand (kubectl autoscale, another manager)
    const pushed = hpa('api-server-hpa', 'deployment-api-server', 9);
    const upload = await call('/base_configs', { method: 'POST', headers: form, body: new URLSearchParams({ release_version: '23.07.0', base_config: `${BASE}---\n${JSON.stringify(pushed)}\n` }).toString() });
    expect(upload.status).toBe(200);
    const byHand = hpa('worker-hpa', 'deployment-worker', 7);
    const placed = { ...byHand, metadata: { ...byHand.metadata, namespace: kube.namespace } };
    const path = unwrap(await kube.client.http.resourcePath(placed, 'read'));
    unwrap(await kube.client.http.send({ method: 'PATCH', path, query: { fieldManager: 'kubectl-autoscale' }, contentType: 'application/apply-patch+yaml', body: JSON.stringify(placed) }));
    expect(Object.fromEntries((await hpas()).map((h) => [h.metadata.name, h.spec.maxReplicas]))).toEqual({ 'api-server-hpa': 9, 'worker-hpa': 7 });
    expect((await call('/autoscaling/controllers/resume', { method: 'POST' })).status).toBe(200);
    const live = Object.fromEntries((await hpas()).map((h) => [h.metadata.name, h.spec.maxReplicas]));
    expect(live).toEqual({ 'api-server-hpa': 9, 'worker-hpa': 3 });
    expect(await (await call('/autoscaling/controllers/status')).json()).toEqual({ 'api-server-hpa': 'running', 'worker-hpa': 'running' });
  });

  it('sizes the cluster: preset patches recorded, materialized and pushed, an autoscaled Deployment\'s replicas left to its autoscaler', async () => {
    const response = await call('/resourcing/cluster/large', { method: 'POST' });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200, body: { statusCode: 200, data: { successful_apply: ['deployment-api-server', 'statefulset-db'], failed_to_apply: {} }, error: null },
    });
    const patches = (await (await call('/patches/deployment-api-server')).json()).data.patches as Array<{ description: string }>;
    expect(patches.some((p) => p.description === 'cluster size preset "large"')).toBe(true);
    const config = (await (await call('/configs/deployment-api-server')).json()).config as string;
    // An autoscaler scales it (api-server-hpa): resources, and its replicas (the base's 1) removed, left to the autoscaler.
    expect(config).not.toMatch(/replicas:/);
    expect(config).toMatch(/memory: 8Gi/);
    // The resize pushed the patched objects itself: the config-store handed over no push of its
    // patches (it would have before the patches were answered, so before the resize was).
    const page = await (await stack.request('/api/v1/events?type=patch.applied.v1&limit=1000')).json();
    const preset = (page.events as Array<{ data: { patches: Array<{ description: string }> }; metadata: { commandId: string } }>)
      .find((e) => e.data.patches.some((p) => p.description === 'cluster size preset "large"'))!;
    expect((await stack.request(`/api/v1/commands/${preset.metadata.commandId}-push`)).status).toBe(404);

    type Workload = KubeObject & { spec: { replicas: number; template: { spec: { containers: Array<{ resources: unknown }> } } } };
    const deployment = unwrap(await getObject<Workload>(kube.client, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'deployment-api-server', namespace: kube.namespace } }));
    expect(deployment.spec.replicas).not.toBe(4);
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '8Gi' } });
    const db = unwrap(await getObject<Workload>(kube.client, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'statefulset-db', namespace: kube.namespace } }));
    expect(db.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '4', memory: '16Gi' } });

    expect((await call('/resourcing/cluster/medium', { method: 'POST' })).status).toBe(400);
  });

  it('reports platform status by component: database, bus, Kubernetes, every service and the log\'s readers healthy', async () => {
    const response = await call('/platform-status/components');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ statusCode: 200, error: null });
    expect(Object.keys(body.data).sort()).toEqual(['config-store', 'database', 'deployer', 'event-log', 'kubernetes', 'message-bus', 'telemetry']);
    // the readers of the log that run on their own, each caught up
    expect(Object.keys(body.data['event-log'].health_checks_by_id).sort()).toEqual(['Event Relay', 'Projection config_golden']);
    expect(body.data['event-log'].health_checks_by_id['Event Relay']).toMatchObject({ status: 'healthy', is_critical: false, tags: ['platform-status-dashboard'] });
    expect(body.data.database.health_checks_by_id['Database Connection']).toEqual({
      id: 'Database Connection', status: 'healthy', component_name: 'database', details: 'Check Passed!',
      tags: ['platform-status-dashboard', 'upgrade'], is_critical: true, contiguous_fails: 0,
      first_check_started_at_epoch_seconds: expect.any(Number), last_checked_at_epoch_seconds: expect.any(Number),
      last_check_runtime_milliseconds: expect.any(Number), last_success_at_epoch_seconds: expect.any(Number),
    });
    for (const component of Object.values(body.data) as Array<{ last_updated_epoch_seconds: number; health_checks_by_id: Record<string, { status: string; details: string }> }>) {
      expect(component.last_updated_epoch_seconds).toEqual(expect.any(Number));
      for (const check of Object.values(component.health_checks_by_id)) expect(check).toMatchObject({ status: 'healthy', details: expect.stringContaining('Check Passed!') });
    }
  });
});
