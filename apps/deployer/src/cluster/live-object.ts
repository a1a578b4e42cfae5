import { DomainError, quoted } from '@slipway/contracts';
import { KubeRefusal } from './kube-refusal';
import { findObject, type KubeClient, type KubeObject, type KubeObjectRef } from '@slipway/kube';

/** The live object, or a `not-found` refusal naming it and the namespace. */
export async function requireLive<T extends KubeObject = KubeObject>(client: KubeClient, ref: KubeObjectRef & { metadata: { name: string; namespace: string } }): Promise<T> {
  const found = await findObject<T>(client, ref);
  if (!found.ok) throw new KubeRefusal(`could not read ${ref.kind} "${ref.metadata.name}"`, found.error);
  if (!found.value) throw new DomainError('not-found', `${ref.kind.toLowerCase()} ${quoted(ref.metadata.name)} not found in namespace ${quoted(ref.metadata.namespace)}`);
  return found.value;
}
