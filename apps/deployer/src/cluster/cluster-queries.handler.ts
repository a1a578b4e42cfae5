import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { AutoscaledResources, AutoscalingStatus, ClusterNamespace, ClusterReachability, type QueryEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { autoscaledNames, liveAutoscalers } from './autoscalers';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState } from './cluster-command';

@Controller()
export class ClusterQueriesHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  /** The Deployment Manager namespace: where pushes, hibernation and pod/job operations act. */
  @MessagePattern(ClusterNamespace.subject)
  namespace(@Payload() envelope: QueryEnvelope): { namespace: string } {
    parseQuery(ClusterNamespace, envelope);
    return { namespace: this.access.require().namespace };
  }

  /** Each autoscaler by name: `running` while it exists, `paused` while a pause keeps it deleted. */
  @MessagePattern(AutoscalingStatus.subject)
  async autoscalingStatus(@Payload() envelope: QueryEnvelope): Promise<Record<string, 'running' | 'paused'>> {
    parseQuery(AutoscalingStatus, envelope);
    const { client, namespace } = this.access.require();
    const [live, state] = await Promise.all([liveAutoscalers(client, namespace), readClusterState(this.db, namespace)]);
    const status: Record<string, 'running' | 'paused'> = {};
    for (const name of Object.keys(state.pausedAutoscalers).sort()) status[name] = 'paused';
    // One re-created by a push since the pause is running again.
    for (const hpa of live) status[hpa.metadata.name] = 'running';
    return status;
  }

  /** The workloads a live autoscaler scales. */
  @MessagePattern(AutoscaledResources.subject)
  async autoscaled(@Payload() envelope: QueryEnvelope): Promise<{ names: string[] }> {
    parseQuery(AutoscaledResources, envelope);
    const { client, namespace } = this.access.require();
    return { names: autoscaledNames(await liveAutoscalers(client, namespace)) };
  }

  /** Whether the API server answers; never refuses (platform status reports the answer). */
  @MessagePattern(ClusterReachability.subject)
  async reachability(@Payload() envelope: QueryEnvelope): Promise<{ configured: boolean; reachable: boolean; details: string }> {
    parseQuery(ClusterReachability, envelope);
    if (!this.access.configured) return { configured: false, reachable: false, details: 'the deployer has no Kubernetes configuration (KUBECONFIG)' };
    const { client } = this.access.require();
    const version = await client.http.send({ method: 'GET', path: '/version' });
    if (!version.ok) return { configured: true, reachable: false, details: `the Kubernetes API server does not answer: ${version.error.message}` };
    const { gitVersion } = (version.value ?? {}) as { gitVersion?: string };
    return { configured: true, reachable: true, details: `Check Passed! Kubernetes ${gitVersion ?? 'API server'} answers` };
  }
}
