import type { ManagedFieldsEntry } from './managed-fields';

/**
 * A Kubernetes object as JSON, exactly as it goes over the wire (timestamps are strings).
 * Kind-specific code narrows `spec`/`status` itself; see health/.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
  [field: string]: unknown;
}

/** What identifies an object (or, without a name, a collection): kind and place. */
export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string };
}

export interface KubeList<T extends KubeObject = KubeObject> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

/** `namespace/name` (or `name` for cluster-scoped objects): unique per kind. */
export const objectKey = (object: Pick<KubeObject, 'metadata'>): string =>
  object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
