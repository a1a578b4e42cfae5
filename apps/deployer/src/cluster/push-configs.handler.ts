import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { PushConfigs, type CommandEnvelope, type PushOutcome } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { objectsChangedBy } from './changed-by-write';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { onceInNamespaceTurn } from './once-in-turn';
import { pushMaterialized } from './push-materialized';

@Controller()
export class PushConfigsHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  /**
   * Answered once by id: the gateway reads a push's outcome back by its command id, and a
   * push delivered again after later commands must not apply its configs over theirs. The
   * check is in the namespace's turn (so a concurrent duplicate waits, then finds the
   * outcome), and so are the applies, so that `hibernated` cannot change between its read
   * and them.
   */
  @MessagePattern(PushConfigs.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<PushOutcome> {
    const { objects, changedBy } = parseCommand(PushConfigs, envelope);
    const cluster = this.access.require();
    return onceInNamespaceTurn(this.db, cluster.namespace, envelope, async () =>
      pushMaterialized(this.db, cluster, envelope, PushConfigs.subject, changedBy === undefined ? objects : await objectsChangedBy(this.db, changedBy)));
  }
}
