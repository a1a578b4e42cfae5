import { randomBytes } from 'node:crypto';
import { applyObject, deleteObject, kubeClientFor, loadKubeConfig, unwrap, type KubeClient } from '@slipway/kube';

export interface TestNamespace {
  client: KubeClient;
  namespace: string;
  /** Deletes the namespace (in the background: the test run does not wait for it). */
  dispose(): Promise<void>;
}

/**
 * A Kubernetes namespace of its own for one test file, on the cluster jest global setup
 * started (or the one KUBECONFIG names), so files run in parallel without seeing each other.
 * Imported as `@slipway/testing/kube`, so tests that do not need Kubernetes do not load the client.
 */
export async function createTestNamespace(prefix = 't'): Promise<TestNamespace> {
  if (!process.env.KUBECONFIG) throw new Error('KUBECONFIG is not set: run tests through jest global setup');
  const client = kubeClientFor(loadKubeConfig());
  const namespace = `${prefix}-${randomBytes(4).toString('hex')}`;
  unwrap(await applyObject(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'slipway.io/test': 'true' } } }));
  return {
    client,
    namespace,
    async dispose() {
      await deleteObject(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      await client.close();
    },
  };
}

/** The local control plane's state directory, when the tests run on it (not on a user's cluster). */
export const kubeTestenvDir = (): string | undefined => process.env.KUBE_TESTENV_STATE_DIR || undefined;
