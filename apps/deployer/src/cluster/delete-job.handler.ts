import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DeleteJob, DomainError, type CommandEnvelope } from '@slipway/contracts';
import { deleteObject } from '@slipway/kube';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { requireLive } from './live-object';

/** Deletes a Job of the Deployment Manager namespace (its pods go with it). */
@Controller()
export class DeleteJobHandler {
  constructor(@Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(DeleteJob.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    const { name } = parseCommand(DeleteJob, envelope);
    const { client, namespace } = this.access.require();
    const ref = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace } };
    await requireLive(client, ref);
    const deleted = await deleteObject(client, ref);
    if (!deleted.ok) throw new DomainError('unavailable', `could not delete job "${name}": ${deleted.error.message}`);
    return null;
  }
}
