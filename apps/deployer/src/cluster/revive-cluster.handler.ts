import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { ReviveCluster, type CommandEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import { onceInNamespaceTurn } from './once-in-turn';
import { scaleWorkload } from './workloads';

/**
 * Restores the replicas the hibernation remembered, then records the revival (so a crash
 * in between leaves the cluster hibernated in the log, and a redelivery restores again).
 * Handled once by id: delivered again after a later hibernation, it must not wake the
 * workloads that one put to sleep. In the namespace's turn: a push that read the cluster
 * hibernated must not apply after it.
 */
@Controller()
export class ReviveClusterHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(ReviveCluster.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    parseCommand(ReviveCluster, envelope);
    const { client, namespace } = this.access.require();
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      const { hibernated } = await readClusterState(this.db, namespace);
      if (hibernated) {
        for (const [key, replicas] of Object.entries(hibernated)) await scaleWorkload(client, namespace, key, replicas);
      }
      return recordClusterCommand(this.db, ReviveCluster.subject, envelope, namespace, { kind: 'revive', now: envelope.issuedAt }, () => null);
    });
  }
}
