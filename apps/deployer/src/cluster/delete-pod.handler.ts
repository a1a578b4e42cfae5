import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DeletePod, DomainError, type CommandEnvelope } from '@slipway/contracts';
import { deleteObject } from '@slipway/kube';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { requireLive } from './live-object';

/** Deletes a pod of the Deployment Manager namespace (its controller, if any, replaces it). */
@Controller()
export class DeletePodHandler {
  constructor(@Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(DeletePod.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    const { pod } = parseCommand(DeletePod, envelope);
    const { client, namespace } = this.access.require();
    const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace } };
    await requireLive(client, ref);
    const deleted = await deleteObject(client, ref);
    if (!deleted.ok) throw new DomainError('unavailable', `could not delete pod "${pod}": ${deleted.error.message}`);
    return null;
  }
}
