import { createTestNamespace, type TestNamespace } from '@slipway/testing/kube';
import { eventually } from '@slipway/testing';
import { applyObject } from './apply-object';
import { unwrap } from './kube-error';
import { collect, configMap } from './kube.testing';
import type { WatchEvent } from './watch-event';
import { watchResource } from './watch-resource';

describe('Kubernetes port: a watch resumes from its resourceVersion', () => {
  let ns: TestNamespace;
  beforeAll(async () => (ns = await createTestNamespace('resume')));
  afterAll(async () => ns?.dispose());

  it('delivers every change exactly once across many server-closed watch requests, without relisting', async () => {
    const controller = new AbortController();
    // The server ends each watch request after a second, so the changes below span many requests.
    const watched = collect(watchResource(ns.client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.namespace }, { signal: controller.signal, sessionSeconds: 1, labelSelector: 'app.kubernetes.io/managed-by=slipway' }));
    await eventually(() => expect(watched.items).toContainEqual(expect.objectContaining({ type: 'SYNCED' })));

    const expected: string[] = [];
    for (let round = 1; round <= 6; round++) {
      unwrap(await applyObject(ns.client, configMap(ns.namespace, 'counter', { round: String(round) })));
      expected.push(round === 1 ? 'ADDED 1' : `MODIFIED ${round}`);
      await new Promise((resolve) => setTimeout(resolve, 400)); // spread the writes over several requests
    }

    const describe = (event: WatchEvent) => (event.type === 'SYNCED' ? 'SYNCED' : `${event.type} ${(event.object.data as { round: string }).round}`);
    await eventually(() => expect(watched.items.map(describe)).toEqual(['SYNCED', ...expected]), 20_000, 50);
    controller.abort();
    await watched.done;
  });
});
