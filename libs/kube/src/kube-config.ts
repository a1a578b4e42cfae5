import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigSource {
  /** A kubeconfig file; otherwise KUBECONFIG, then ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  /** A context of that kubeconfig; otherwise its current-context. */
  context?: string;
}

/** Loads a kubeconfig and selects a context, failing loudly on a context that does not exist. */
export function loadKubeConfig(source: KubeConfigSource = {}): KubeConfig {
  const config = new KubeConfig();
  if (source.kubeconfig) config.loadFromFile(source.kubeconfig);
  else config.loadFromDefault();
  if (source.context) {
    if (!config.getContextObject(source.context)) {
      const known = config.getContexts().map((context) => context.name).join(', ');
      throw new Error(`kubeconfig has no context "${source.context}" (has: ${known || 'none'})`);
    }
    config.setCurrentContext(source.context);
  }
  if (!config.getCurrentCluster()) throw new Error(`kubeconfig context "${config.getCurrentContext()}" has no cluster`);
  return config;
}

/** Where a pod finds its service account (token, CA, namespace). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How a Slipway service finds its cluster (clusterSettingsFromEnv reads them). */
export interface ClusterSettings {
  /** A kubeconfig file; without one (and not in-cluster) the service has no cluster. */
  kubeconfig?: string;
  /**
   * The cluster the service runs in, through its pod's service account (as a controller in
   * the cluster does); a kubeconfig, when given, comes first.
   */
  inCluster?: boolean;
  /** The directory the service account's path is under: `/` in a pod, a directory of its own in a test. */
  serviceAccountRoot?: string;
  context?: string;
  /** The Deployment Manager namespace; otherwise the context's namespace, then `default`. In a pod, required: another than the pod's. */
  namespace?: string;
}

/** KUBECONFIG, SLIPWAY_KUBE_IN_CLUSTER=true, SLIPWAY_KUBE_CONTEXT, SLIPWAY_KUBE_NAMESPACE: the same for every service. */
export function clusterSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  return {
    kubeconfig: env.KUBECONFIG || undefined,
    inCluster: env.SLIPWAY_KUBE_IN_CLUSTER === 'true',
    context: env.SLIPWAY_KUBE_CONTEXT || undefined,
    namespace: env.SLIPWAY_KUBE_NAMESPACE || undefined,
  };
}

/**
 * The kubeconfig and the namespace a service acts in, or undefined without a cluster.
 * Every service resolves them the same way, so they all look at the same objects.
 */
export function clusterOf(settings: ClusterSettings): { kube: KubeConfig; namespace: string } | undefined {
  let kube: KubeConfig;
  if (settings.kubeconfig) kube = loadKubeConfig({ kubeconfig: settings.kubeconfig, context: settings.context });
  else if (settings.inCluster) kube = inClusterConfig(settings.serviceAccountRoot ?? '/');
  else return undefined;
  const contextNamespace = kube.getContextObject(kube.getCurrentContext())?.namespace;
  const namespace = settings.namespace || contextNamespace || 'default';
  // In a pod, the context's namespace is the pod's own, which holds Slipway's NATS, Postgres,
  // services and their Secret: a hibernation there scales Slipway itself to 0, with nothing
  // left to revive it, and a pushed pod could mount the admin token or run as Slipway's
  // service account. A kubeconfig's context names the namespace to act in (before 2026-12-07
  // it was passed over, and a context's `namespace: apps` acted in `default`).
  const own = settings.kubeconfig ? undefined : contextNamespace;
  if (namespace === own) {
    throw new Error(`SLIPWAY_KUBE_NAMESPACE must name the namespace Slipway deploys to, not the one it runs in ("${own}"): deploy/apps-namespace makes one and lets Slipway's service account act there`);
  }
  return { kube, namespace };
}

function inClusterConfig(root: string): KubeConfig {
  if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
    throw new Error('SLIPWAY_KUBE_IN_CLUSTER=true, but this is not a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
  }
  const mounted = join(root, SERVICE_ACCOUNT_DIR);
  if (!existsSync(join(mounted, 'token'))) {
    throw new Error(`SLIPWAY_KUBE_IN_CLUSTER=true, but no service account token is mounted at ${mounted} (automountServiceAccountToken: false?)`);
  }
  const config = new KubeConfig();
  // Reads <root>/var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt,namespace}; the
  // token file is read again as the kubelet rotates it.
  config.loadFromCluster(root === '/' ? '' : root);
  return config;
}
