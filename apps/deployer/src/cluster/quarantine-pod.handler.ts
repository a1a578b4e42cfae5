import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseCommand } from '@slipway/bus';
import { DomainError, PodQuarantined, QuarantinePod, quoted, type CommandEnvelope, type EventDataOf } from '@slipway/contracts';
import { findObject, listObjects, type KubeClient, type KubeObject } from '@slipway/kube';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { CLUSTER, type ClusterAccess } from './cluster-access';
import { recordClusterCommand } from './cluster-command';
import { requireLive } from './live-object';
import { carryOut, onceInNamespaceTurn } from './once-in-turn';
import { KubeRefusal } from './kube-refusal';
import { quarantinePatch, removedBy } from './quarantine-patch';
import { finishQuarantine, relabelPod } from './quarantine-relabel';

type Service = KubeObject & { spec?: { selector?: Record<string, string> } };
type StatefulSet = KubeObject & { spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string }> } } };
type OwnerReference = { kind?: string; name?: string; uid?: string; controller?: boolean };

/**
 * A StatefulSet's pod keeps its name: taken out of the StatefulSet's selector, it is
 * released, and the StatefulSet cannot create its replacement while it exists (with
 * ordered pod management, the default, the pods after it stall too). Taking such a pod out
 * of its Services that way is refused, naming the labels, rather than turning a debugging
 * step into an outage; a Deployment's or ReplicaSet's pod is replaced under a new name.
 */
async function refuseIfStatefulSetWouldStall(client: KubeClient, namespace: string, pod: KubeObject, removed: string[]): Promise<void> {
  const owner = (pod.metadata.ownerReferences as OwnerReference[] | undefined)?.find((o) => o.controller && o.kind === 'StatefulSet');
  if (!owner?.name || removed.length === 0) return;
  const found = await findObject<StatefulSet>(client, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: owner.name, namespace } });
  if (!found.ok) throw new KubeRefusal(`could not read StatefulSet "${owner.name}"`, found.error);
  // Gone, or another one made since under the name: no StatefulSet will wait for this pod.
  if (!found.value || (owner.uid && found.value.metadata.uid !== owner.uid)) return;
  const selector = found.value.spec?.selector;
  // The keys whose removal unselects the pod (NotIn, DoesNotExist still select it).
  const requiring = (selector?.matchExpressions ?? []).filter((e) => e.operator === 'In' || e.operator === 'Exists').map((e) => e.key);
  const selecting = new Set([...Object.keys(selector?.matchLabels ?? {}), ...requiring]);
  const held = removed.filter((key) => selecting.has(key));
  if (held.length > 0) {
    throw new DomainError('conflict', `pod "${pod.metadata.name}" belongs to StatefulSet "${owner.name}", whose selector uses ${held.map((k) => `"${k}"`).join(', ')}: removed, the StatefulSet could not replace the pod while it exists; take it out of its Services by editing them instead`);
  }
}

/**
 * Takes a pod out of every Service that selects it by removing the selected labels from
 * the pod (kept in an annotation, for inspection); the pod keeps running. Its controller
 * (a ReplicaSet's, say) no longer selects it either, so it starts a replacement: the
 * quarantined pod stays for debugging, as the document intends (a StatefulSet's pod is
 * refused, see above).
 *
 * Decide, record, act: the labels to remove are decided while the pod still carries them, a
 * dry run makes sure the API server would take the patch (what stays refused is never
 * recorded), then the quarantine is recorded (`cluster.pod-quarantined.v1`, with the pod's uid
 * and those keys) and the patch sent. Delivered again with its outcome recorded (the deployer
 * stopped between the record and the patch, or after the patch and before its ack), it
 * answers as the first time and finishes the relabelling from the record, so the audit keeps
 * what the first attempt removed rather than the nothing a pod already relabelled shows. The
 * patch carries the uid of the pod judged (a precondition): a pod deleted and created again
 * under its name is never relabelled; met before the record, the quarantine is refused as not
 * found.
 */
@Controller()
export class QuarantinePodHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool, @Inject(CLUSTER) private readonly access: ClusterAccess) {}

  @MessagePattern(QuarantinePod.subject)
  async handle(@Payload() envelope: CommandEnvelope): Promise<null> {
    const { pod } = parseCommand(QuarantinePod, envelope);
    const { client, namespace } = this.access.require();
    const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace } };
    return onceInNamespaceTurn(this.db, namespace, envelope, async () => {
      const live = await requireLive(client, ref);
      const services = await listObjects<Service>(client, { apiVersion: 'v1', kind: 'Service', metadata: { namespace } });
      if (!services.ok) throw new KubeRefusal('could not list services', services.error);
      const patch = quarantinePatch(live.metadata.labels ?? {}, services.value.items.map((s) => s.spec?.selector ?? {}), live.metadata.annotations ?? {}, live.metadata.uid);
      const removedLabels = removedBy(patch);
      await refuseIfStatefulSetWouldStall(client, namespace, live, removedLabels);
      const { gone } = await relabelPod(client, ref, patch, true);
      if (gone) throw new DomainError('not-found', `could not relabel pod ${quoted(pod)}: ${gone}; nothing was quarantined`);
      await recordClusterCommand(this.db, QuarantinePod.subject, envelope, namespace, {
        kind: 'quarantine-pod', pod: { name: pod, uid: live.metadata.uid, removedLabels }, now: envelope.issuedAt,
      }, () => null);
      // The pod judged gone since the dry run: nothing is left to quarantine.
      await carryOut(envelope.commandId, async () => { await relabelPod(client, ref, patch); });
      return null;
    }, async (own) => {
      if (own?.type !== PodQuarantined.type) return;
      await carryOut(envelope.commandId, () => finishQuarantine(client, ref, own.data as EventDataOf<typeof PodQuarantined>));
    });
  }
}
