import { KubeConfig } from '@kubernetes/client-node';
import { KubeHttp } from './kube-http';
import { loadKubeConfig, type KubeConfigSource } from './kube-config';

/** One cluster context: its kubeconfig (for Watch and Log) and the JSON request layer. */
export interface KubeClient {
  readonly context: string;
  readonly config: KubeConfig;
  readonly http: KubeHttp;
  close(): Promise<void>;
}

export function kubeClientFor(config: KubeConfig): KubeClient {
  const http = KubeHttp.forConfig(config);
  return { context: config.getCurrentContext(), config, http, close: () => http.close() };
}

/**
 * Client construction behind a provider (as backstage's kubernetes backend does): callers
 * ask for a context and get a client with its discovery cache and connections kept.
 * Several clusters are several contexts of one kubeconfig.
 */
export class KubeClientProvider {
  private readonly clients = new Map<string, KubeClient>();

  constructor(private readonly source: Omit<KubeConfigSource, 'context'> = {}) {}

  /** The client for `context`, or for the kubeconfig's current context. */
  client(context?: string): KubeClient {
    const key = context ?? '';
    let client = this.clients.get(key);
    if (!client) {
      client = kubeClientFor(loadKubeConfig({ ...this.source, context }));
      this.clients.set(key, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }
}
