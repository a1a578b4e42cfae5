import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DeleteJob, type CommandEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { deleteLiveObject } from './delete-live-object';

/** Deletes a Job of the Deployment Manager namespace (its pods go with it), once by id. */
@Controller()
export class DeleteJobHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(DeleteJob.subject)
  handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    const { name } = parseCommand(DeleteJob, envelope);
    return deleteLiveObject(this.db, this.access, DeleteJob.subject, envelope, { apiVersion: 'batch/v1', kind: 'Job', name });
  }
}
