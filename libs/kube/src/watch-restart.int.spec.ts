import { join, resolve } from 'node:path';
import { kubeTestenvScript, startKubeTestenv, type RunningKube } from '@slipway/local-stack';
import { eventually, scratchDir } from '@slipway/testing';
import { kubeTestenvDir } from '@slipway/testing/kube';
import { applyObject } from './apply-object';
import { kubeClientFor, type KubeClient } from './kube-client';
import { loadKubeConfig } from './kube-config';
import { deleteObject } from './delete-object';
import { unwrap } from './kube-error';
import { collect, configMap } from './kube.testing';
import { watchResource } from './watch-resource';
import type { WatchEvent } from './watch-event';

const repoRoot = resolve(__dirname, '..', '..', '..');

// Restarting kube-apiserver would disturb every other test file running at the same time,
// so this file gets a control plane of its own (one KWOK node; the binaries are cached).
// It needs the local testenv, so it runs only when the suite does (not on a user's cluster).
const describeOnTestenv = kubeTestenvDir() ? describe : describe.skip;

describeOnTestenv('Kubernetes port: a watch survives a kube-apiserver restart', () => {
  let cluster: RunningKube | undefined;
  let client: KubeClient;
  const namespace = 'watched';

  beforeAll(async () => {
    const dir = scratchDir('kube-restart');
    cluster = await startKubeTestenv(repoRoot, dir, { KWOK_NODES: '1' });
    client = kubeClientFor(loadKubeConfig({ kubeconfig: cluster.kubeconfig }));
    unwrap(await applyObject(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }));
  }, 600_000);

  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
  }, 60_000);

  const describeEvent = (event: WatchEvent) => (event.type === 'SYNCED' ? 'SYNCED' : `${event.type} ${event.object.metadata.name}`);

  it('delivers events from before, across and after the restart, each once', async () => {
    const controller = new AbortController();
    const watched = collect(watchResource(client, { apiVersion: 'v1', kind: 'ConfigMap', namespace }, { signal: controller.signal, backoff: { baseDelayMs: 100, maxDelayMs: 1_000 } }));
    await eventually(() => expect(watched.items.map(describeEvent)).toContain('SYNCED'));

    unwrap(await applyObject(client, configMap(namespace, 'before', { phase: '1' })));
    await eventually(() => expect(watched.items.map(describeEvent)).toContain('ADDED before'));

    await kubeTestenvScript(repoRoot, 'restart-apiserver.sh', cluster!.stateDir);
    // Written as soon as the new apiserver is ready, most likely while the watch is still
    // backing off: it must arrive anyway, by resuming from the last resourceVersion.
    unwrap(await applyObject(client, configMap(namespace, 'after', { phase: '1' })));
    unwrap(await applyObject(client, configMap(namespace, 'before', { phase: '2' })));
    unwrap(await deleteObject(client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name: 'before' } }));

    await eventually(() => expect(watched.items.map(describeEvent)).toEqual(expect.arrayContaining(['ADDED after', 'MODIFIED before', 'DELETED before'])), 60_000, 100);
    const changes = watched.items.map(describeEvent).filter((event) => event !== 'SYNCED');
    expect(changes.filter((event) => event === 'ADDED before')).toHaveLength(1);
    expect(changes.indexOf('ADDED after')).toBeGreaterThan(changes.indexOf('ADDED before'));
    expect(changes.indexOf('DELETED before')).toBeGreaterThan(changes.indexOf('MODIFIED before'));

    controller.abort();
    await watched.done;
  }, 180_000);
});
