import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { eventually } from '@slipway/testing';
import { createTestNamespace, kubeTestenvDir, type TestNamespace } from '@slipway/testing/kube';
import { applyObject } from './apply-object';
import { assessHealth } from './health';
import { unwrap } from './kube-error';
import { collect, PAUSE } from './kube.testing';
import { followPodLogs, readPodLogs } from './pod-logs';
import { getObject } from './read-object';

// KWOK serves one CRI-format file (<state-dir>/kwok/container.log) as every container's
// log, so lines appended to it appear in a follow. On a user's cluster there is no such file.
const describeOnTestenv = kubeTestenvDir() ? describe : describe.skip;

describeOnTestenv('Kubernetes port: pod logs', () => {
  let ns: TestNamespace;
  const container = () => ({ namespace: ns.namespace, pod: 'talker', container: 'app' });

  beforeAll(async () => {
    ns = await createTestNamespace('logs');
    unwrap(await applyObject(ns.client, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talker', namespace: ns.namespace }, spec: { containers: [{ name: 'app', image: PAUSE }] } }));
    await eventually(async () => {
      expect(assessHealth(unwrap(await getObject(ns.client, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talker', namespace: ns.namespace } }))).status).toBe('Healthy');
    }, 45_000, 200);
  });
  afterAll(async () => ns?.dispose());

  it('reads a container\'s log', async () => {
    const text = unwrap(await readPodLogs(ns.client, container()));
    expect(text).toContain('slipway kube-testenv fake container log line 1');
    expect(unwrap(await readPodLogs(ns.client, container(), { tailLines: 1 })).trim().split('\n')).toHaveLength(1);
  });

  it('follows a container\'s log: lines written later arrive, and aborting ends the stream', async () => {
    const controller = new AbortController();
    const lines = collect(unwrap(await followPodLogs(ns.client, container(), { signal: controller.signal })));
    await eventually(() => expect(lines.items).toContain('slipway kube-testenv fake container log line 1'));

    const marker = `followed ${randomBytes(4).toString('hex')}`;
    appendFileSync(join(kubeTestenvDir()!, 'kwok', 'container.log'), `${new Date().toISOString()} stdout F ${marker}\n`);
    await eventually(() => expect(lines.items).toContain(marker), 20_000, 50);

    controller.abort();
    await lines.done;
  });

  it('reports logs of a pod that does not exist as not-found, in the API server\'s words', async () => {
    expect(await readPodLogs(ns.client, { ...container(), pod: 'nobody' })).toEqual({ ok: false, error: { kind: 'not-found', message: 'pods "nobody" not found' } });
  });

  it('reports a container the pod does not have as the API server refuses it, naming the container', async () => {
    expect(await readPodLogs(ns.client, { ...container(), container: 'sidecar' }))
      .toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringContaining('container sidecar is not valid for pod talker') } });
    expect(await followPodLogs(ns.client, { ...container(), pod: 'nobody' })).toEqual({ ok: false, error: { kind: 'not-found', message: 'pods "nobody" not found' } });
  });
});
