import { DomainError } from '@slipway/contracts';
import type { Sql } from '@slipway/event-log';
import { listObjects, type KubeClient, type KubeObject } from '@slipway/kube';
import { sealMap, unsealMaps, type CommandSeals, type StringMap } from '@slipway/sealing';
import { deployerSeals } from '../deployer-seals';

export type Autoscaler = KubeObject & { spec?: { scaleTargetRef?: { kind?: string; name?: string } } };

export const HPA = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' } as const;

/** Every HorizontalPodAutoscaler of the namespace, by name. */
export async function liveAutoscalers(client: KubeClient, namespace: string): Promise<Autoscaler[]> {
  const listed = await listObjects<Autoscaler>(client, { ...HPA, metadata: { namespace } });
  if (!listed.ok) throw new DomainError('unavailable', `could not list HorizontalPodAutoscalers in namespace "${namespace}": ${listed.error.message}`);
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

type Metadata = { labels?: StringMap; annotations?: StringMap };

/**
 * A recreatable manifest as a pause records it: the secret values of its labels and
 * annotations (a `db-password` annotation, a webhook URL's password) as tokens, the values
 * kept in the deployer's store, so that the log holds none.
 */
export function sealedAutoscaler(manifest: Record<string, unknown>, seals: CommandSeals): Record<string, unknown> {
  const { labels, annotations, ...metadata } = manifest.metadata as Metadata;
  return {
    ...manifest,
    metadata: {
      ...metadata,
      ...(labels ? { labels: sealMap(labels, seals, 'metadata.labels') } : {}),
      ...(annotations ? { annotations: sealMap(annotations, seals, 'metadata.annotations') } : {}),
    },
  };
}

/**
 * A recorded autoscaler with its labels' and annotations' values back, to re-create it.
 * One recorded before pauses sealed them holds its values as they were.
 */
export async function unsealedAutoscaler(sql: Sql, manifest: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { labels, annotations, ...metadata } = manifest.metadata as Metadata;
  const [unsealedLabels, unsealedAnnotations] = await unsealMaps(deployerSeals, sql, [labels ?? {}, annotations ?? {}]);
  return {
    ...manifest,
    metadata: { ...metadata, ...(labels ? { labels: unsealedLabels } : {}), ...(annotations ? { annotations: unsealedAnnotations } : {}) },
  };
}

/** The manifest recorded by a pause, placed in the namespace. */
export function placed(manifest: Record<string, unknown>, namespace: string): KubeObject {
  const object = manifest as unknown as KubeObject;
  return { ...object, metadata: { ...object.metadata, namespace } };
}

/** The workloads the live autoscalers scale (their scaleTargetRef names), sorted, once each. */
export const autoscaledNames = (autoscalers: Autoscaler[]): string[] =>
  [...new Set(autoscalers.map((a) => a.spec?.scaleTargetRef?.name).filter((name): name is string => !!name))].sort();
