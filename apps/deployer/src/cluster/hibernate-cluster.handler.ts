import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { HibernateCluster, type CommandEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import { carryOut, onceInNamespaceTurn } from './once-in-turn';
import { writeEachInTurn } from './namespace-lock';
import { scaleWorkload, workloadReplicas } from './workloads';

/**
 * Records every Deployment's and StatefulSet's replicas first (the intent is durable before
 * anything changes), then scales them all to 0. Handled once by id: delivered again after
 * a revive, it must not put the workloads back to sleep. Delivered again while the cluster
 * is recorded hibernated (the deployer stopped between the record and the scaling), it
 * finishes the scaling. In the namespace's turn: a push between the read and the scaling would wake
 * what it stops.
 */
@Controller()
export class HibernateClusterHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(HibernateCluster.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    parseCommand(HibernateCluster, envelope);
    const { client, namespace } = this.access.require();
    const asleep = (keys: string[], dryRun = false) => writeEachInTurn(keys, (key) => scaleWorkload(client, namespace, key, 0, dryRun));
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      const replicas = await workloadReplicas(client, namespace);
      // Scaling the API server refuses (authorization, admission) is refused before the
      // hibernation is recorded: the log must not say asleep what stays awake.
      await asleep(Object.keys(replicas), true);
      await recordClusterCommand(this.db, HibernateCluster.subject, envelope, namespace, { kind: 'hibernate', replicas, now: envelope.issuedAt }, () => null);
      await carryOut(envelope.commandId, () => asleep(Object.keys(replicas)));
      return null;
    }, async () => carryOut(envelope.commandId, async () => asleep(Object.keys((await readClusterState(this.db, namespace)).hibernated ?? {}))));
  }
}
