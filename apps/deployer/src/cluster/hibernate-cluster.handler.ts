import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { HibernateCluster, type CommandEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { recordClusterCommand } from './cluster-command';
import { inNamespaceTurn } from './namespace-lock';
import { scaleWorkload, workloadReplicas } from './workloads';

/**
 * Records every Deployment's and StatefulSet's replicas first (the intent is durable before
 * anything changes), then scales them all to 0. A redelivery scales again, harmlessly. In
 * the namespace's turn: a push between the read and the scaling would wake what it stops.
 */
@Controller()
export class HibernateClusterHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(HibernateCluster.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    parseCommand(HibernateCluster, envelope);
    const { client, namespace } = this.access.require();
    return inNamespaceTurn(this.db, namespace, async () => {
      const replicas = await workloadReplicas(client, namespace);
      await recordClusterCommand(this.db, HibernateCluster.subject, envelope, namespace, { kind: 'hibernate', replicas, now: envelope.issuedAt }, () => null);
      for (const key of Object.keys(replicas)) await scaleWorkload(client, namespace, key, 0);
      return null;
    });
  }
}
