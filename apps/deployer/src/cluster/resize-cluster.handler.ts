import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { ApplyPatches, ListMaterialized, ResizeCluster, type CommandEnvelope, type PushOutcome } from '@slipway/contracts';
import { deterministicId } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { liveAutoscalers } from './autoscalers';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import { onceInNamespaceTurn } from './once-in-turn';
import { pushMaterialized } from './push-materialized';
import { presetPatches, scaledBy } from './sizing';

/**
 * Applies a cluster size preset: records it in the config-store as patches (one per
 * Deployment/StatefulSet, with the config-store's patch command, so they are listed as
 * patches and materialize like any other), then pushes the patched objects. Handled once
 * by id, in the namespace's turn like a push.
 */
@Controller()
export class ResizeClusterHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(ResizeCluster.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<PushOutcome> {
    const { size } = parseCommand(ResizeCluster, envelope);
    const cluster = this.access.require();
    return onceInNamespaceTurn(this.db, cluster.namespace, envelope, async () => {
      // The live autoscalers' targets, and those of the ones a pause removed (they come back).
      const { pausedAutoscalers } = await readClusterState(this.db, cluster.namespace);
      const scaled = scaledBy([...await liveAutoscalers(cluster.client, cluster.namespace), ...Object.values(pausedAutoscalers)]);
      const { text, objects } = presetPatches(size, await cluster.ask(ListMaterialized, {}), scaled);
      if (objects.length === 0) {
        // Nothing to size is still an outcome: recorded (as a push of nothing, which appends
        // no event), so that a resize answered 202 does not read `pending` for ever.
        const none: PushOutcome = { successfulApply: [], failedToApply: {} };
        return recordClusterCommand(this.db, ResizeCluster.subject, envelope, cluster.namespace, { kind: 'record-applied', applied: [], now: envelope.issuedAt }, () => none);
      }
      // Not pushed by the config-store: the objects are pushed below, in this namespace's turn.
      await cluster.tell(ApplyPatches, { text, description: `cluster size preset "${size}"`, push: false }, envelope, deterministicId(envelope.commandId, 'resize:patches'));
      return pushMaterialized(this.db, cluster, envelope, ResizeCluster.subject, objects);
    });
  }
}
