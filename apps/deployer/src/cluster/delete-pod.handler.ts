import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DeletePod, DomainError, type CommandEnvelope } from '@slipway/contracts';
import { deleteObject } from '@slipway/kube';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { recordSuccess } from './cluster-command';
import { requireLive } from './live-object';
import { onceInNamespaceTurn } from './once-in-turn';

/**
 * Deletes a pod of the Deployment Manager namespace (its controller, if any, replaces it).
 * Handled once by id: delivered again, it answers as the first time rather than deleting
 * a pod created since under the same name (a StatefulSet's replacement has it).
 */
@Controller()
export class DeletePodHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(DeletePod.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    const { pod } = parseCommand(DeletePod, envelope);
    const { client, namespace } = this.access.require();
    const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace } };
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      await requireLive(client, ref);
      const deleted = await deleteObject(client, ref);
      if (!deleted.ok) throw new DomainError('unavailable', `could not delete pod "${pod}": ${deleted.error.message}`);
      return recordSuccess(this.db, DeletePod.subject, envelope, null);
    });
  }
}
