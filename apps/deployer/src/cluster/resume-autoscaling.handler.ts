import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DomainError, ResumeAutoscaling, type CommandEnvelope } from '@slipway/contracts';
import { applyObject, findObject } from '@slipway/kube';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { placed } from './autoscalers';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import { onceInNamespaceTurn } from './once-in-turn';

/**
 * Re-creates every paused autoscaler from its recorded manifest (unless one is live again,
 * pushed since the pause), then records the resume (a crash in between leaves them paused
 * in the log, and a redelivery re-creates the rest).
 * Handled once by id: delivered again after a later pause, it must not re-create what that
 * one paused. In the namespace's turn, as pause is.
 */
@Controller()
export class ResumeAutoscalingHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(ResumeAutoscaling.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    parseCommand(ResumeAutoscaling, envelope);
    const { client, namespace } = this.access.require();
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      const { pausedAutoscalers } = await readClusterState(this.db, namespace);
      for (const [name, manifest] of Object.entries(pausedAutoscalers)) {
        const recorded = placed(manifest, namespace);
        // One live again was re-created since the pause (a push of its config): what was
        // pushed stands, rather than the spec the pause recorded before it.
        const live = await findObject(client, recorded);
        if (!live.ok) throw new DomainError('unavailable', `could not read autoscaler "${name}": ${live.error.message}`);
        // One still being deleted (a finalizer holds it) is not live: resumed later, once it is gone.
        if (live.value?.metadata.deletionTimestamp) throw new DomainError('unavailable', `autoscaler "${name}" is still being deleted; retry shortly`);
        if (live.value) continue;
        const applied = await applyObject(client, recorded);
        if (!applied.ok) throw new DomainError('unavailable', `could not resume autoscaler "${name}": ${applied.error.message}`);
      }
      const controllers = Object.keys(pausedAutoscalers);
      return recordClusterCommand(this.db, ResumeAutoscaling.subject, envelope, namespace, { kind: 'resume-autoscaling', controllers, now: envelope.issuedAt }, () => null);
    });
  }
}
