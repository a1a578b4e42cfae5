import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DeleteJob, DomainError, type CommandEnvelope } from '@slipway/contracts';
import { deleteObject } from '@slipway/kube';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { recordSuccess } from './cluster-command';
import { requireLive } from './live-object';
import { onceInNamespaceTurn } from './once-in-turn';

/**
 * Deletes a Job of the Deployment Manager namespace (its pods go with it). Handled once by
 * id: delivered again, it answers as the first time rather than deleting a job created
 * since under the same name (or refusing `not-found` for the one it deleted).
 */
@Controller()
export class DeleteJobHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(DeleteJob.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    const { name } = parseCommand(DeleteJob, envelope);
    const { client, namespace } = this.access.require();
    const ref = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace } };
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      await requireLive(client, ref);
      const deleted = await deleteObject(client, ref);
      if (!deleted.ok) throw new DomainError('unavailable', `could not delete job "${name}": ${deleted.error.message}`);
      return recordSuccess(this.db, DeleteJob.subject, envelope, null);
    });
  }
}
