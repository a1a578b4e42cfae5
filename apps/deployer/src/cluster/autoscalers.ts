import { replaceSecrets, textsIn } from '@slipway/contracts';
import type { Sql } from '@slipway/event-log';
import { listObjects, type KubeClient, type KubeObject } from '@slipway/kube';
import { marksToken, unsealValue, type CommandSeals } from '@slipway/sealing';
import { deployerSeals } from '../deployer-seals';
import { KubeRefusal } from './kube-refusal';

export type Autoscaler = KubeObject & { spec?: { scaleTargetRef?: { kind?: string; name?: string } } };

export const HPA = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' } as const;

/** Every HorizontalPodAutoscaler of the namespace, by name. */
export async function liveAutoscalers(client: KubeClient, namespace: string): Promise<Autoscaler[]> {
  const listed = await listObjects<Autoscaler>(client, { ...HPA, metadata: { namespace } });
  if (!listed.ok) throw new KubeRefusal(`could not list HorizontalPodAutoscalers in namespace "${namespace}"`, listed.error);
  return [...listed.value.items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

const SERVER_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * What re-creates an autoscaler as it was: its spec, labels and annotations, without the
 * server's fields (uid, resourceVersion, managedFields, status) and without a namespace
 * (resume places it in the namespace it acts in).
 */
export function recreatable(hpa: Autoscaler): Record<string, unknown> {
  const { labels, annotations } = hpa.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const kept = Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => !SERVER_ANNOTATIONS.includes(key)));
  return {
    apiVersion: HPA.apiVersion, kind: HPA.kind,
    metadata: { name: hpa.metadata.name, ...(labels ? { labels } : {}), ...(Object.keys(kept).length ? { annotations: kept } : {}) },
    spec: hpa.spec ?? {},
  };
}

/**
 * A recreatable manifest as a pause records it: what the redaction rules hide anywhere in it
 * (a `db-password` annotation, a webhook URL's password, a secret-named label in a metric's
 * selector) as tokens, the values kept in the deployer's store, so that the log holds none.
 * A value that already holds a token's mark (copied from the log, say) is kept as a token of
 * itself: unsealed, it comes back as it was, the mark included, and nothing behind it.
 * Long strings are worked out off the event loop first (CommandSeals.prepare).
 */
export async function sealedAutoscaler(manifest: Record<string, unknown>, seals: CommandSeals): Promise<Record<string, unknown>> {
  await seals.prepare(textsIn(manifest));
  return replaceSecrets(manifest, {
    value: (secret) => (typeof secret === 'string' && secret !== '' ? seals.sealWhole(secret) : secret),
    text: (text, inSecret) => (marksToken(text) ? seals.sealWhole(text) : seals.seal(text, inSecret, 'autoscaler')),
  }) as Record<string, unknown>;
}

/**
 * A recorded autoscaler with its values back, to re-create it (one query for all its
 * strings). One recorded before pauses sealed them holds its values as they were.
 */
export function unsealedAutoscaler(sql: Sql, manifest: Record<string, unknown>): Promise<Record<string, unknown>> {
  return unsealValue(deployerSeals, sql, manifest);
}

/**
 * Recorded autoscalers sealed anew with this command's seals, as it records them again (a
 * resume what it re-creates, a pause what a resume cut short left): their values back, then
 * sealed. One recorded before pauses sealed them holds its values in the clear, and copied
 * as it was, put them in an event of this version's (sealing a token again would not do: it
 * would keep the token's text, not the value behind it).
 */
export async function resealedAutoscalers(sql: Sql, recorded: Record<string, Record<string, unknown>>, seals: CommandSeals): Promise<Record<string, Record<string, unknown>>> {
  const resealed = await Promise.all(Object.entries(recorded).map(async ([name, manifest]) => [name, await sealedAutoscaler(await unsealedAutoscaler(sql, manifest), seals)] as const));
  return Object.fromEntries(resealed);
}

/** The manifest recorded by a pause, placed in the namespace. */
export function placed(manifest: Record<string, unknown>, namespace: string): KubeObject {
  const object = manifest as unknown as KubeObject;
  return { ...object, metadata: { ...object.metadata, namespace } };
}

/** The names of the workloads the live autoscalers scale (their scaleTargetRef), sorted, once each. */
export const autoscaledNames = (autoscalers: Autoscaler[]): string[] =>
  [...new Set(autoscalers.map((a) => a.spec?.scaleTargetRef?.name).filter((name): name is string => !!name))].sort();
