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
