import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { AutoscalingPaused, AutoscalingResumed, AutoscalingResumeFinished, ConfigApplied, ResumeAutoscaling, type CommandEnvelope, type EventDataOf } from '@slipway/contracts';
import { applyObject, findObject, type KubeClient } from '@slipway/kube';
import { deterministicId } from '@slipway/event-log';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { deployerSeals } from '../deployer-seals';
import { placed, resealedAutoscalers, unsealedAutoscaler } from './autoscalers';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import { KubeRefusal } from './kube-refusal';
import { carryOut, onceInNamespaceTurn, recordedSince, type LastEvent } from './once-in-turn';
import { writeEachInTurn } from './namespace-lock';

type Recorded = Record<string, Record<string, unknown>>;

/**
 * Records the resume with the autoscalers it re-creates (the intent is durable before
 * anything changes, as a pause's), then re-creates each as its pause recorded it: over one
 * live again that someone else made (`kubectl autoscale`), whose fields it takes back as a
 * push does; not one a push re-created since the pause, whose pushed spec stands. What the
 * API server refuses (authorization, admission) is refused first, as dry runs, and nothing
 * is recorded; the API server down meanwhile is waited out in place (carryOut). Handled
 * once by id: delivered again after a later pause, it must not re-create what that one
 * paused. Delivered again with nothing recorded since but pushes (the deployer stopped
 * between the record and the re-creating), it finishes, leaving what a push applied since.
 * In the namespace's turn, as pause is.
 */
@Controller()
export class ResumeAutoscalingHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(ResumeAutoscaling.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    parseCommand(ResumeAutoscaling, envelope);
    const { client, namespace } = this.access.require();
    const recreate = (autoscalers: Recorded, dryRun = false) =>
      writeEachInTurn(Object.entries(autoscalers), ([name, recorded]) => this.recreate(client, namespace, name, recorded, dryRun));
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      const { pausedAutoscalers, pushedSincePause } = await readClusterState(this.db, namespace);
      const toRecreate = Object.fromEntries(Object.entries(pausedAutoscalers).filter(([name]) => !pushedSincePause.includes(name)));
      await recreate(toRecreate, true);
      const seals = await deployerSeals.open(this.db);
      const autoscalers = await resealedAutoscalers(this.db, toRecreate, seals);
      const command = { kind: 'resume-autoscaling' as const, controllers: Object.keys(pausedAutoscalers), autoscalers, now: envelope.issuedAt };
      await recordClusterCommand(this.db, ResumeAutoscaling.subject, envelope, namespace, command, () => null, seals);
      await carryOut(envelope.commandId, () => recreate(toRecreate));
      await this.recordFinished(envelope, namespace, Object.keys(toRecreate));
      return null;
    }, async (own) => {
      const standing = await this.stillToRecreate(namespace, own);
      // Paused or resumed since: what it recorded is another command's to finish now, and a
      // finish recorded here would mark that one's work done (the decider cannot tell whose).
      if (!standing) return;
      await carryOut(envelope.commandId, () => recreate(standing.toRecreate));
      await this.recordFinished(envelope, namespace, standing.recorded);
    });
  }

  /**
   * Records that the resume re-created what it recorded (under an id of its own, derived from
   * the resume's: its outcome is recorded already), so that a later pause no longer takes
   * them for a resume's unfinished work: deleted by hand since, they stay deleted.
   */
  private async recordFinished(envelope: CommandEnvelope, namespace: string, controllers: string[]): Promise<void> {
    if (controllers.length === 0) return;
    const finished = { ...envelope, commandId: deterministicId(envelope.commandId, 'resume:finished') };
    await recordClusterCommand(this.db, ResumeAutoscaling.subject, finished, namespace, { kind: 'resume-finished', controllers, now: envelope.issuedAt }, () => null);
  }

  /**
   * Re-creates one autoscaler as recorded (`dryRun`: asks whether the API server would).
   * One still being deleted (a finalizer holds it) is waited for: re-created once it is gone.
   */
  private async recreate(client: KubeClient, namespace: string, name: string, recorded: Record<string, unknown>, dryRun: boolean): Promise<void> {
    const manifest = placed(await unsealedAutoscaler(this.db, recorded), namespace);
    const live = await findObject(client, manifest);
    if (!live.ok) throw new KubeRefusal(`could not read autoscaler "${name}"`, live.error);
    if (live.value?.metadata.deletionTimestamp) {
      throw new KubeRefusal(`could not resume autoscaler "${name}"`, { kind: 'transient', message: 'it is still being deleted; retry shortly' });
    }
    const applied = await applyObject(client, manifest, { force: true, dryRun });
    if (!applied.ok) throw new KubeRefusal(`could not resume autoscaler "${name}"`, applied.error);
  }

  /**
   * What of a recorded resume still stands: none (undefined) once it finished (delivered
   * again after its ack was lost), or autoscaling was paused or resumed again since; else the
   * autoscalers it recorded, and those of them to re-create: all but those a push applied since.
   */
  private async stillToRecreate(namespace: string, own: LastEvent | undefined): Promise<{ recorded: string[]; toRecreate: Recorded } | undefined> {
    const autoscalers = own?.type === AutoscalingResumed.type ? (own.data as EventDataOf<typeof AutoscalingResumed>).autoscalers : undefined;
    if (!own || !autoscalers) return undefined;
    const rows = await recordedSince<{ manifest?: { kind?: string; metadata?: { name?: string } } }>(
      this.db, namespace, own.version, [AutoscalingPaused.type, AutoscalingResumed.type, AutoscalingResumeFinished.type, ConfigApplied.type],
    );
    if (rows.some((row) => row.type !== ConfigApplied.type)) return undefined;
    const pushed = new Set(rows.filter((row) => row.data.manifest?.kind === 'HorizontalPodAutoscaler').map((row) => row.data.manifest?.metadata?.name));
    return { recorded: Object.keys(autoscalers), toRecreate: Object.fromEntries(Object.entries(autoscalers).filter(([name]) => !pushed.has(name))) };
  }
}
