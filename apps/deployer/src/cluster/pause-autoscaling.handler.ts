import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { AutoscalingPaused, PauseAutoscaling, type CommandEnvelope, type EventDataOf } from '@slipway/contracts';
import { deleteObject, type KubeClient } from '@slipway/kube';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { deployerSeals } from '../deployer-seals';
import { HPA, liveAutoscalers, recreatable, resealedAutoscalers, sealedAutoscaler } from './autoscalers';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { readClusterState, recordClusterCommand } from './cluster-command';
import { carryOut, onceInNamespaceTurn } from './once-in-turn';
import { writeEachInTurn } from './namespace-lock';
import { KubeRefusal } from './kube-refusal';

/**
 * Pauses every HorizontalPodAutoscaler of the namespace: records each one's manifest first
 * (the intent is durable before anything changes; secret values of its labels and
 * annotations as tokens), then deletes it. The workloads keep the
 * replicas they have; resume re-creates the recorded autoscalers unchanged. Handled once by
 * id: delivered again after a resume (or a push re-creating one), it must not delete them
 * again. Delivered again with those it paused still paused (the deployer stopped between
 * the record and the deletes, or its deletes were refused and it was redriven), it finishes
 * their deletes. In the namespace's turn: a resume or a
 * push re-creating an autoscaler between the listing and the deletes would leave the
 * recorded and the live autoscalers apart.
 *
 * Each deletion names the uid of the autoscaler the pause judged (recorded with it), as a
 * job's or a pod's deletion does: finished late, a pause deleted by name one made by hand
 * since (`kubectl autoscale`), whose spec nothing had recorded.
 */
@Controller()
export class PauseAutoscalingHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(PauseAutoscaling.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    parseCommand(PauseAutoscaling, envelope);
    const { client, namespace } = this.access.require();
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      const live = await liveAutoscalers(client, namespace);
      const seals = await deployerSeals.open(this.db);
      const { resumedAutoscalers } = await readClusterState(this.db, namespace);
      const controllers = {
        // A resume cut short before it re-created these: paused as it recorded them (nothing live to delete).
        ...await resealedAutoscalers(this.db, resumedAutoscalers, seals),
        ...Object.fromEntries(await Promise.all(live.map(async (hpa) => [hpa.metadata.name, await sealedAutoscaler(recreatable(hpa), seals)]))),
      };
      // The API server gives every object it holds a uid.
      const uids = Object.fromEntries(live.map((hpa) => [hpa.metadata.name, hpa.metadata.uid!]));
      // Deletes the API server refuses are refused before the pause is recorded.
      await deleteAutoscalers(client, namespace, Object.entries(uids), true);
      await recordClusterCommand(this.db, PauseAutoscaling.subject, envelope, namespace, { kind: 'pause-autoscaling', controllers, uids, now: envelope.issuedAt }, () => null, seals);
      await carryOut(envelope.commandId, () => deleteAutoscalers(client, namespace, Object.entries(uids)));
      return null;
    }, async (own) => {
      if (own?.type !== AutoscalingPaused.type) return;
      // Those it paused that are paused still: not resumed, nor pushed again, since.
      const { pausedAutoscalers, pushedSincePause } = await readClusterState(this.db, namespace);
      const standing = judged(own.data as EventDataOf<typeof AutoscalingPaused>)
        .filter(([name]) => name in pausedAutoscalers && !pushedSincePause.includes(name));
      await carryOut(envelope.commandId, () => deleteAutoscalers(client, namespace, standing));
    });
  }
}

/**
 * The autoscalers a recorded pause deletes, with the uid each had when it judged them. One
 * recorded before pauses kept uids names no uid: deleted by name, as it was then.
 */
function judged(paused: EventDataOf<typeof AutoscalingPaused>): Array<[string, string | undefined]> {
  return paused.uids ? Object.entries(paused.uids) : Object.keys(paused.controllers).map((name) => [name, undefined]);
}

/**
 * Deletes the autoscalers (name and uid: only that very one; `dryRun`: asks whether it would).
 * One already gone, or made again since under its name, counts as deleted (deleteObject).
 */
async function deleteAutoscalers(client: KubeClient, namespace: string, autoscalers: Array<[string, string | undefined]>, dryRun = false): Promise<void> {
  await writeEachInTurn(autoscalers, async ([name, uid]) => {
    const deleted = await deleteObject(client, { ...HPA, metadata: { name, namespace } }, { uid, dryRun });
    if (!deleted.ok) throw new KubeRefusal(`could not pause autoscaler "${name}"`, deleted.error);
  });
}
