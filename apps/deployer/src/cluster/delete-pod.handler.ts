import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DeletePod, type CommandEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { deleteLiveObject } from './delete-live-object';

/** Deletes a pod of the Deployment Manager namespace (its controller, if any, replaces it), once by id. */
@Controller()
export class DeletePodHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(DeletePod.subject)
  handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    const { pod } = parseCommand(DeletePod, envelope);
    return deleteLiveObject(this.db, this.access, DeletePod.subject, envelope, { apiVersion: 'v1', kind: 'Pod', name: pod });
  }
}
