/**
 * How Kubernetes merges each list of the built-in types a strategic merge patch can reach.
 *
 * Source: the `patchStrategy`/`patchMergeKey` struct tags and `+listMapKey` markers of
 * k8s.io/api v0.36.5 (core/v1, apps/v1, batch/v1, admissionregistration/v1, storage/v1) and k8s.io/apimachinery v0.36.5
 * (meta/v1 ObjectMeta) — the same metadata kubectl reads; kustomize reads it from the
 * OpenAPI extensions `x-kubernetes-patch-merge-key` / `x-kubernetes-list-map-keys`.
 * `merge: [k, ...]` lists are merged by those keys (the first is the patchMergeKey, the
 * rest are list-map keys that may be absent on one side: `keyDefaults` names those the API
 * server defaults, `+default` in k8s.io/api, which compare as that default when absent);
 * `merge: []` lists of scalars
 * are merged as sets. Every list not named here is atomic: the patch replaces it — e.g.
 * tolerations, envFrom, args, command, volumeClaimTemplates (`+listType=atomic` or no tag).
 * Status lists (conditions by `type`) are left out: patches never carry status.
 */
export interface FieldSchema<Type extends string = TypeName> {
  /** The value's type, or its elements' type for a list. */
  readonly type?: Type;
  readonly merge?: readonly string[];
  /** List-map keys (after the first) the API server defaults when left out, with the default. */
  readonly keyDefaults?: Readonly<Record<string, string>>;
  /** `patchStrategy:"retainKeys"`: a patch may carry `$retainKeys` here. */
  readonly retainKeys?: true;
}

export type TypeName = keyof typeof types;

const meta = { metadata: { type: 'ObjectMeta' } } as const;
const template = { template: { type: 'PodTemplateSpec' } } as const;
const container = { type: 'Container', merge: ['name'] } as const;

export const types = {
  ObjectMeta: { finalizers: { merge: [] }, ownerReferences: { merge: ['uid'] } },
  Object: { ...meta },
  PodTemplateSpec: { ...meta, spec: { type: 'PodSpec' } },
  PodSpec: {
    containers: container,
    initContainers: container,
    ephemeralContainers: container,
    volumes: { merge: ['name'], retainKeys: true },
    imagePullSecrets: { merge: ['name'] },
    hostAliases: { merge: ['ip'] },
    topologySpreadConstraints: { merge: ['topologyKey', 'whenUnsatisfiable'] },
    schedulingGates: { merge: ['name'] },
    resourceClaims: { merge: ['name'], retainKeys: true },
  },
  Container: {
    ports: { merge: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } },
    env: { merge: ['name'] },
    volumeMounts: { merge: ['mountPath'] },
    volumeDevices: { merge: ['devicePath'] },
  },
  Pod: { ...meta, spec: { type: 'PodSpec' } },
  PodTemplate: { ...meta, ...template },
  ReplicationController: { ...meta, spec: { type: 'TemplateSpec' } },
  TemplateSpec: { ...template },
  Deployment: { ...meta, spec: { type: 'DeploymentSpec' } },
  DeploymentSpec: { ...template, strategy: { retainKeys: true } },
  StatefulSet: { ...meta, spec: { type: 'TemplateSpec' } },
  DaemonSet: { ...meta, spec: { type: 'TemplateSpec' } },
  ReplicaSet: { ...meta, spec: { type: 'TemplateSpec' } },
  Job: { ...meta, spec: { type: 'TemplateSpec' } },
  CronJob: { ...meta, spec: { type: 'CronJobSpec' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: { ...meta, spec: { type: 'TemplateSpec' } },
  Service: { ...meta, spec: { type: 'ServiceSpec' } },
  ServiceSpec: { ports: { merge: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } } },
  ServiceAccount: { ...meta, secrets: { merge: ['name'] } },
  Node: { ...meta, spec: { type: 'NodeSpec' } },
  NodeSpec: { podCIDRs: { merge: [] } },
  // k8s.io/api admissionregistration/v1: webhooks by name (patchMergeKey), each one's
  // matchConditions by name, its rules atomic; an admission policy's matchConditions (and a
  // validating one's variables) by name.
  MutatingWebhookConfiguration: { ...meta, webhooks: { type: 'Webhook', merge: ['name'] } },
  ValidatingWebhookConfiguration: { ...meta, webhooks: { type: 'Webhook', merge: ['name'] } },
  Webhook: { matchConditions: { merge: ['name'] } },
  ValidatingAdmissionPolicy: { ...meta, spec: { type: 'ValidatingAdmissionPolicySpec' } },
  ValidatingAdmissionPolicySpec: { matchConditions: { merge: ['name'] }, variables: { merge: ['name'] } },
  MutatingAdmissionPolicy: { ...meta, spec: { type: 'MutatingAdmissionPolicySpec' } },
  MutatingAdmissionPolicySpec: { matchConditions: { merge: ['name'] } },
  // storage/v1: a CSINode's drivers by name.
  CSINode: { ...meta, spec: { type: 'CSINodeSpec' } },
  CSINodeSpec: { drivers: { merge: ['name'] } },
} as const satisfies Record<string, Record<string, FieldSchema<string>>>;

export function fieldSchema(type: TypeName | undefined, field: string): FieldSchema | undefined {
  if (type === undefined) return undefined;
  const fields: Record<string, FieldSchema> = types[type] as Record<string, FieldSchema>;
  return Object.hasOwn(fields, field) ? fields[field] : undefined;
}
