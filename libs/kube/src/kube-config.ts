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

/** How a Slipway service finds its cluster: KUBECONFIG, SLIPWAY_KUBE_CONTEXT, SLIPWAY_KUBE_NAMESPACE. */
export interface ClusterSettings {
  /** A kubeconfig file; without one the service has no cluster. */
  kubeconfig?: string;
  context?: string;
  /** The Deployment Manager namespace; otherwise the context's namespace, then `default`. */
  namespace?: string;
}

/**
 * The kubeconfig and the namespace a service acts in, or undefined without a kubeconfig.
 * Every service resolves them the same way, so they all look at the same objects.
 */
export function clusterOf(settings: ClusterSettings): { kube: KubeConfig; namespace: string } | undefined {
  if (!settings.kubeconfig) return undefined;
  const kube = loadKubeConfig({ kubeconfig: settings.kubeconfig, context: settings.context });
  return { kube, namespace: settings.namespace || kube.getContextObject(kube.getCurrentContext())?.namespace || 'default' };
}
