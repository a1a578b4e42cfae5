import { apiGroupOf } from '@slipway/contracts';
import type { TypeName } from './merge-keys';

export interface TypeMeta {
  apiVersion?: string;
  kind?: string;
}

/**
 * The built-in kinds a strategic merge patch applies to, by apiVersion. Anything else
 * (custom resources, unknown versions) has no patch metadata, so — as kubectl and
 * kustomize do — it is merged with JSON merge patch semantics.
 */
const builtin: Record<string, readonly string[]> = {
  v1: ['Pod', 'PodTemplate', 'ReplicationController', 'Service', 'ServiceAccount', 'ConfigMap',
    'Secret', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Endpoints',
    'LimitRange', 'ResourceQuota', 'Event'],
  'apps/v1': ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
  'batch/v1': ['Job', 'CronJob'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'policy/v1': ['PodDisruptionBudget'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy', 'IPAddress', 'ServiceCIDR'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'storage.k8s.io/v1': ['StorageClass', 'CSIDriver', 'VolumeAttachment', 'CSINode', 'CSIStorageCapacity', 'VolumeAttributesClass'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding'],
  // The other kinds Kubernetes 1.36 serves that a config may hold (k8s.io/api v0.36.5, the
  // apiextensions and aggregator modules' register.go). Their metadata merges as every object's
  // does (finalizers as a set, ownerReferences by uid; these read as custom resources before
  // 2026-12-07: replaced). kustomize 5.8's schema, of Kubernetes 1.21, lacks those added since.
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'flowcontrol.apiserver.k8s.io/v1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'resource.k8s.io/v1': ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
};

/** Kinds with lists of their own to merge by key (merge-keys.ts), beside the workloads'. */
const OWN_SCHEMA = new Set(['Service', 'ServiceAccount', 'Node', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'MutatingAdmissionPolicy', 'CSINode']);

/** Where the pod template's spec lives in each workload kind. */
const podSpecPaths: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function isBuiltinKind({ apiVersion, kind }: TypeMeta): boolean {
  return apiVersion !== undefined && kind !== undefined
    && Object.hasOwn(builtin, apiVersion) && builtin[apiVersion].includes(kind);
}

/** The schema root of a kind, or `undefined` when it has none (JSON merge semantics). */
export function rootType(meta: TypeMeta): TypeName | undefined {
  if (!isBuiltinKind(meta)) return undefined;
  const kind = meta.kind as string;
  return kind in podSpecPaths || OWN_SCHEMA.has(kind) ? (kind as TypeName) : 'Object';
}

/** The field path of the PodSpec in a built-in workload kind, `undefined` for other kinds. */
export function podSpecPath(meta: TypeMeta): readonly string[] | undefined {
  return isBuiltinKind(meta) ? podSpecPaths[meta.kind as string] : undefined;
}

/**
 * Built-in kinds without a namespace, by API group (`''` for the core group): a namespace
 * rewrite leaves them alone, and the deployer does not place them in its namespace (the API
 * server would drop it, and the recorded manifest would then differ from the live object for
 * ever). By group, not by kind alone: a custom resource may share a built-in's kind and be
 * namespaced (Cluster API's `IPAddress`), and was placed in no namespace, so the kubeconfig's.
 */
const CLUSTER_SCOPED: Record<string, ReadonlySet<string>> = {
  '': new Set(['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus']),
  'rbac.authorization.k8s.io': new Set(['ClusterRole', 'ClusterRoleBinding']),
  'storage.k8s.io': new Set(['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass']),
  'scheduling.k8s.io': new Set(['PriorityClass']),
  'networking.k8s.io': new Set(['IngressClass', 'IPAddress', 'ServiceCIDR']),
  'node.k8s.io': new Set(['RuntimeClass']),
  'apiextensions.k8s.io': new Set(['CustomResourceDefinition']),
  'admissionregistration.k8s.io': new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding']),
  'apiregistration.k8s.io': new Set(['APIService']),
  'certificates.k8s.io': new Set(['CertificateSigningRequest', 'ClusterTrustBundle']),
  'flowcontrol.apiserver.k8s.io': new Set(['FlowSchema', 'PriorityLevelConfiguration']),
  'resource.k8s.io': new Set(['DeviceClass', 'ResourceSlice']),
};

export const isClusterScoped = ({ apiVersion, kind }: TypeMeta): boolean =>
  typeof apiVersion === 'string' && typeof kind === 'string' && (CLUSTER_SCOPED[apiGroupOf(apiVersion)]?.has(kind) ?? false);
