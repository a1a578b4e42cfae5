import { parseCheckedYaml, type MaterializedView } from '@slipway/contracts';
import { getObject, listObjects, type KubeObject } from '@slipway/kube';
import type { ClusterView } from '../cluster/telemetry-cluster';
import { podSelectionOf, type PodSelection } from './pod-selector';

interface ContainerStatus { name: string; ready?: boolean; restartCount?: number }

export interface PodObject extends KubeObject {
  spec?: { nodeName?: string; initContainers?: Array<{ name: string }>; containers?: Array<{ name: string }> };
  status?: { phase?: string; startTime?: string; initContainerStatuses?: ContainerStatus[]; containerStatuses?: ContainerStatus[] };
}

/** What the manifest says about one requested service. */
export type ServiceNote =
  | { status: 'found'; kind: string; selector?: string; pods?: string[]; note?: string }
  | { status: 'not found'; reason: string }
  | { status: 'not deployed'; kind: string; reason: string }
  | { status: 'unknown'; reason: string };

export interface ResolvedService {
  name: string;
  note: ServiceNote;
  /** Its pods as listed now (none without a cluster). */
  pods: PodObject[];
}

/** A service resolved, and the config store's current config of it (when it manages one), which told its kind. */
export type Resolution = ResolvedService & { materialized?: MaterializedView };

/** The config store's materialized config of an object; undefined when it manages none. */
export type MaterializedLookup = (name: string) => Promise<MaterializedView | undefined>;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function objectOf(config: string): KubeObject | undefined {
  try {
    const object = parseCheckedYaml(config) as Partial<KubeObject> | null;
    return object?.apiVersion && object.kind && object.metadata?.name ? (object as KubeObject) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A service is an object the config store manages, named as there. Its pods are those its
 * live object in the cluster selects (see podSelectionOf), in the namespace the deployer
 * applies to; without a cluster only the config store is asked. What cannot be found out
 * about one service (the config store down, the object or its pods unreadable, a selector
 * that cannot be used) is noted as unknown, and the export goes on without it.
 */
export async function resolveService(name: string, lookup: MaterializedLookup, cluster: ClusterView | undefined): Promise<Resolution> {
  let materialized: MaterializedView | undefined;
  try {
    materialized = await lookup(name);
  } catch (error) {
    return { name, note: { status: 'unknown', reason: `the config store did not answer: ${message(error)}` }, pods: [] };
  }
  if (!materialized) return { name, note: { status: 'not found', reason: `the config store manages no object named "${name}"` }, pods: [] };
  const object = objectOf(materialized.config);
  if (!object) return { name, materialized, note: { status: 'found', kind: 'unknown', note: 'its config is not a Kubernetes object' }, pods: [] };
  const { kind, apiVersion } = object;
  if (!cluster) return { name, materialized, note: { status: 'found', kind }, pods: [] };
  const ref = { apiVersion, kind, metadata: { name: object.metadata.name, namespace: cluster.namespace } };
  const live = await getObject(cluster.client, ref);
  if (!live.ok) {
    return live.error.kind === 'not-found'
      ? { name, materialized, note: { status: 'not deployed', kind, reason: `no ${kind} "${object.metadata.name}" in namespace "${cluster.namespace}"` }, pods: [] }
      : { name, materialized, note: { status: 'unknown', reason: `could not read ${kind} "${object.metadata.name}": ${live.error.message}` }, pods: [] };
  }
  let selection: PodSelection;
  try {
    selection = podSelectionOf(live.value, materialized.objectName, cluster.namespace);
  } catch (error) {
    // One service's unreadable selector is noted in the manifest; the export goes on.
    return { name, materialized, note: { status: 'unknown', reason: `could not select the ${kind}'s pods: ${message(error)}` }, pods: [] };
  }
  if (selection.by === 'none') return { name, materialized, note: { status: 'found', kind, pods: [], note: selection.reason }, pods: [] };
  const listed = await listObjects<PodObject>(cluster.client, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: cluster.namespace } },
    selection.by === 'labels' ? { labelSelector: selection.labelSelector } : { fieldSelector: selection.fieldSelector });
  if (!listed.ok) return { name, materialized, note: { status: 'unknown', reason: `could not list the ${kind}'s pods: ${listed.error.message}` }, pods: [] };
  const pods = listed.value.items;
  const selector = selection.by === 'labels' ? selection.labelSelector : selection.fieldSelector;
  return { name, materialized, note: { status: 'found', kind, selector, pods: pods.map((pod) => pod.metadata.name) }, pods };
}
