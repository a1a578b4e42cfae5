import type { EventDataOf, PodQuarantined } from '@slipway/contracts';
import { findObject, type KubeClient, type KubeError, type KubeObjectRef } from '@slipway/kube';
import { KubeRefusal } from './kube-refusal';
import { confirmTurnHeld } from './namespace-lock';
import { labelsRemovingPatch, QUARANTINED, type QuarantinePatch } from './quarantine-patch';

type PodRef = KubeObjectRef & { metadata: { name: string; namespace: string } };

/**
 * Sends a quarantine patch (with `dryRun`, only asks whether the API server would take it).
 * The pod judged gone (no pod of that name, or another one since: the patch's uid
 * precondition) is answered with the API server's words; any other refusal is thrown.
 */
export async function relabelPod(client: KubeClient, ref: PodRef, patch: QuarantinePatch, dryRun = false): Promise<{ gone?: string }> {
  await confirmTurnHeld();
  const path = await client.http.resourcePath(ref, 'read');
  if (!path.ok) throw new KubeRefusal(`could not relabel pod "${ref.metadata.name}"`, path.error);
  const patched = await client.http.send({
    method: 'PATCH', path: path.value, query: { fieldManager: 'slipway', dryRun: dryRun ? 'All' : undefined },
    contentType: 'application/merge-patch+json', body: JSON.stringify(patch),
  });
  if (patched.ok) return {};
  if (patched.error.kind === 'not-found') return { gone: patched.error.message };
  if (judgedPodGone(patched.error)) return { gone: `the pod judged is gone (${patched.error.message})` };
  throw new KubeRefusal(`could not relabel pod "${ref.metadata.name}"`, patched.error);
}

/**
 * Finishes a quarantine recorded before its relabelling, delivered again after the deployer
 * stopped: the pod judged (by its uid) loses the labels the record names, whatever the
 * Services select by now. Nothing is done when that pod is gone, or already marked
 * quarantined (the patch went out before the stop, or a later quarantine relabelled it). A
 * quarantine lifted by hand since, its mark removed too, cannot be told from one never sent:
 * it is sent.
 */
export async function finishQuarantine(client: KubeClient, ref: PodRef, recorded: EventDataOf<typeof PodQuarantined>): Promise<void> {
  const found = await findObject(client, ref);
  if (!found.ok) throw new KubeRefusal(`could not read pod "${ref.metadata.name}"`, found.error);
  const live = found.value;
  if (!live || (recorded.uid !== undefined && live.metadata.uid !== recorded.uid) || live.metadata.labels?.[QUARANTINED] === 'true') return;
  await relabelPod(client, ref, labelsRemovingPatch(live.metadata.labels ?? {}, recorded.removedLabels, live.metadata.annotations ?? {}, recorded.uid ?? live.metadata.uid));
}

/**
 * The patch's uid precondition not met: the pod of that name is another one than the pod
 * judged (deleted and created again since). The API server refuses a merge patch that would
 * change `metadata.uid` as an immutable field (422, cause `metadata.uid`); one that checks it
 * as a storage precondition answers 409 "Precondition failed: UID in precondition".
 */
function judgedPodGone(error: KubeError): boolean {
  if (error.kind === 'invalid') return error.causes.some((cause) => cause.field === 'metadata.uid');
  return error.kind === 'conflict' && /precondition failed: uid in precondition/i.test(error.message);
}
