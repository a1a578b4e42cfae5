import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { ClusterHibernated, ClusterReviveFinished, ClusterRevived, ConfigApplied, ReviveCluster, type CommandEnvelope, type EventDataOf } from '@slipway/contracts';
import { deterministicId } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import { objectKey } from './intended-manifest';
import { carryOut, onceInNamespaceTurn, recordedSince, type LastEvent } from './once-in-turn';
import { writeEachInTurn } from './namespace-lock';
import { scaleWorkload } from './workloads';

/**
 * Records the revival with the replicas it restores (the intent is durable before anything
 * changes, as a hibernation's), then scales the workloads back. Scaling the API server
 * refuses (authorization, admission) is refused first, as dry runs, and nothing is
 * recorded; the API server down while scaling back is waited out in place (carryOut), so a
 * revive cut short by an outage is finished rather than left half awake with the log
 * saying asleep. Handled once by id: delivered again after a later hibernation, it must not
 * wake the workloads that one put to sleep. Delivered again with nothing recorded since but
 * pushes (the deployer stopped between the record and the scaling), it finishes the
 * scaling, leaving the workloads pushed since at what their push set. In the namespace's
 * turn: a push that read the cluster hibernated must not apply after it.
 */
@Controller()
export class ReviveClusterHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(ReviveCluster.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    parseCommand(ReviveCluster, envelope);
    const { client, namespace } = this.access.require();
    const awake = (replicas: Record<string, number>, dryRun = false) =>
      writeEachInTurn(Object.entries(replicas), ([key, count]) => scaleWorkload(client, namespace, key, count, dryRun));
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      const { hibernated } = await readClusterState(this.db, namespace);
      if (hibernated) await awake(hibernated, true);
      // Not hibernated: refused by the decision (409), with nothing scaled.
      await recordClusterCommand(this.db, ReviveCluster.subject, envelope, namespace, { kind: 'revive', now: envelope.issuedAt }, () => null);
      await carryOut(envelope.commandId, () => awake(hibernated ?? {}));
      await this.recordFinished(envelope, namespace);
      return null;
    }, async (own) => {
      const standing = await this.stillToRestore(namespace, own);
      if (!standing) return;
      await carryOut(envelope.commandId, () => awake(standing));
      await this.recordFinished(envelope, namespace);
    });
  }

  /**
   * Records that the revival restored what it recorded (under an id of its own, derived from
   * the revival's: its outcome is recorded already), so that a later hibernation records the
   * live replicas again, not the ones this revival was restoring.
   */
  private async recordFinished(envelope: CommandEnvelope, namespace: string): Promise<void> {
    const finished = { ...envelope, commandId: deterministicId(envelope.commandId, 'revive:finished') };
    await recordClusterCommand(this.db, ReviveCluster.subject, finished, namespace, { kind: 'revive-finished', now: envelope.issuedAt }, () => null);
  }

  /**
   * What of a recorded revival is still to be done: none (undefined) once the cluster was
   * hibernated (or revived, or this revival finished) since; else its replicas but for the
   * workloads a push applied since.
   */
  private async stillToRestore(namespace: string, own: LastEvent | undefined): Promise<Record<string, number> | undefined> {
    const replicas = own?.type === ClusterRevived.type ? (own.data as EventDataOf<typeof ClusterRevived>).replicas : undefined;
    if (!own || !replicas) return undefined;
    const rows = await recordedSince<{ manifest?: Record<string, unknown> }>(
      this.db, namespace, own.version, [ClusterHibernated.type, ClusterRevived.type, ClusterReviveFinished.type, ConfigApplied.type],
    );
    if (rows.some((row) => row.type !== ConfigApplied.type)) return undefined;
    const pushed = new Set(rows.map((row) => objectKey(row.data.manifest ?? {})));
    return Object.fromEntries(Object.entries(replicas).filter(([key]) => !pushed.has(key)));
  }
}
