// Test-only helpers for the Kubernetes port's integration tests (excluded from the build).
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from './kube-object';
import { slipwayLabels, withSlipwayLabels, type SlipwayOwner } from './slipway-labels';

/** An image every cluster can run (KWOK does not pull it at all). */
export const PAUSE = 'registry.k8s.io/pause:3.10';

export const owner = (deploymentName: string): SlipwayOwner => ({
  namespace: 'default', deploymentId: `id-${deploymentName}`, deploymentName, revision: 1, rolloutId: 'r-1',
});

export function deployment(namespace: string, name: string, replicas: number, image = PAUSE): KubeObject {
  return withSlipwayLabels({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    },
  }, owner(name));
}

export function configMap(namespace: string, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: slipwayLabels(owner(name)) }, data };
}

/** Drains an async iterable into an array in the background, for `eventually` to look at. */
export function collect<T>(iterable: AsyncIterable<T>): { items: T[]; done: Promise<void> } {
  const items: T[] = [];
  const done = (async () => {
    for await (const item of iterable) items.push(item);
  })();
  return { items, done };
}

/** A kubeconfig for an API server of a test's own (plain HTTP on loopback), with a token. */
export function kubeConfigFor(server: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'test', server, skipTLSVerify: true }],
    users: [{ name: 'nobody', token: 'x' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'nobody' }],
    currentContext: 'test',
  });
  return config;
}
