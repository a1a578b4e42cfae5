import { clusterOf, kubeClientFor, type ClusterSettings, type KubeClient } from '@slipway/kube';

/** Injection token for telemetry's TelemetryCluster. */
export const TELEMETRY_CLUSTER = Symbol('TELEMETRY_CLUSTER');

/** The same settings the deployer reads; without a kubeconfig, telemetry reads nothing from Kubernetes. */
export type TelemetryClusterConfig = ClusterSettings;

export interface ClusterView {
  client: KubeClient;
  /** The namespace the deployer applies to, where the services' pods run. */
  namespace: string;
}

/**
 * Telemetry's read access to the Deployment Manager's cluster (pods and their logs), or
 * the reason there is none. The namespace is resolved as the deployer resolves it, so
 * both look at the same objects (clusterOf).
 */
export class TelemetryCluster {
  private constructor(readonly view: ClusterView | undefined) {}

  static open(config: TelemetryClusterConfig): TelemetryCluster {
    const found = clusterOf(config);
    return new TelemetryCluster(found && { client: kubeClientFor(found.kube), namespace: found.namespace });
  }

  /** Why there is no cluster, in words an export's manifest can carry. */
  static readonly UNCONFIGURED = 'telemetry has no Kubernetes configuration: start it with KUBECONFIG (a kubeconfig file) set, or in a pod with SLIPWAY_KUBE_IN_CLUSTER=true';

  async close(): Promise<void> {
    await this.view?.client.close();
  }
}
